#include "devlog/DevLogWriteLock.h"

namespace codeworm {

namespace {

std::mutex &writeMutex()
{
    static std::mutex mutex;
    return mutex;
}

} // namespace

DevLogWriteLock::DevLogWriteLock()
    : m_lock(writeMutex())
{}

DevLogWriteLock::~DevLogWriteLock() = default;

} // namespace codeworm
