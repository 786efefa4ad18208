#pragma once

#include <git2.h>

#include <QString>

#include <memory>

namespace codeworm::git {

// Owning wrappers for libgit2 handles, shared by every module that uses libgit2 (and the
// tests): each pointer frees its object with the matching libgit2 function. Users link
// libgit2 themselves.
struct Deleter
{
    void operator()(git_repository *p) const { git_repository_free(p); }
    void operator()(git_index *p) const { git_index_free(p); }
    void operator()(git_tree *p) const { git_tree_free(p); }
    void operator()(git_commit *p) const { git_commit_free(p); }
    void operator()(git_signature *p) const { git_signature_free(p); }
    void operator()(git_reference *p) const { git_reference_free(p); }
    void operator()(git_config *p) const { git_config_free(p); }
    void operator()(git_object *p) const { git_object_free(p); }
    void operator()(git_blob *p) const { git_blob_free(p); }
    void operator()(git_odb *p) const { git_odb_free(p); }
    void operator()(git_odb_object *p) const { git_odb_object_free(p); }
    void operator()(git_tree_entry *p) const { git_tree_entry_free(p); }
    void operator()(git_diff *p) const { git_diff_free(p); }
    void operator()(git_patch *p) const { git_patch_free(p); }
    void operator()(git_revwalk *p) const { git_revwalk_free(p); }
    void operator()(git_status_list *p) const { git_status_list_free(p); }
    void operator()(git_remote *p) const { git_remote_free(p); }
    void operator()(git_packbuilder *p) const { git_packbuilder_free(p); }
};

template<typename T>
using Ptr = std::unique_ptr<T, Deleter>;

// A git_buf that is disposed of when it goes out of scope.
class Buffer
{
public:
    Buffer() = default;
    ~Buffer() { git_buf_dispose(&m_buf); }
    Buffer(const Buffer &) = delete;
    Buffer &operator=(const Buffer &) = delete;

    git_buf *get() { return &m_buf; }
    QString toString() const
    {
        return m_buf.ptr ? QString::fromUtf8(m_buf.ptr, qsizetype(m_buf.size)) : QString();
    }

private:
    git_buf m_buf = GIT_BUF_INIT;
};

// libgit2 is initialised once per process, on first use, and shut down at exit.
inline void ensureInitialized()
{
    struct Library
    {
        Library() { git_libgit2_init(); }
        ~Library() { git_libgit2_shutdown(); }
        Library(const Library &) = delete;
        Library &operator=(const Library &) = delete;
    };
    static const Library library;
}

// libgit2's message for the last failed call on this thread.
inline QString lastError()
{
    const git_error *error = git_error_last();
    return error && error->message ? QString::fromUtf8(error->message)
                                   : QStringLiteral("unknown libgit2 error");
}

inline QString oidHex(const git_oid *oid)
{
    char buffer[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(buffer, sizeof buffer, oid);
    return QString::fromLatin1(buffer);
}

} // namespace codeworm::git
