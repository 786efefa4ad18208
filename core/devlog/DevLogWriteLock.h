#pragma once

#include <mutex>

namespace codeworm {

// Held while this process changes the DevLog's branch or working tree: a cycle's write and
// commit, and the rebase before a push. Without it a rebase could move the branch between
// a cycle's README update and its commit.
class DevLogWriteLock
{
public:
    DevLogWriteLock();
    ~DevLogWriteLock();
    DevLogWriteLock(const DevLogWriteLock &) = delete;
    DevLogWriteLock &operator=(const DevLogWriteLock &) = delete;

private:
    std::unique_lock<std::mutex> m_lock;
};

} // namespace codeworm
