#pragma once

#include <QByteArray>
#include <QString>

#include <tree_sitter/api.h>

#include <memory>

namespace codeworm {

// Tree-sitter plumbing shared by the analysis module's readers (CodeExtractor,
// PatternDetector). Internal to the module: only it links the tree-sitter runtime.

struct SyntaxTreeDeleter
{
    void operator()(TSTree *tree) const { ts_tree_delete(tree); }
};
using SyntaxTree = std::unique_ptr<TSTree, SyntaxTreeDeleter>;

class TreeCursor
{
public:
    explicit TreeCursor(TSNode node)
        : m_cursor(ts_tree_cursor_new(node))
    {}
    ~TreeCursor() { ts_tree_cursor_delete(&m_cursor); }
    TreeCursor(const TreeCursor &) = delete;
    TreeCursor &operator=(const TreeCursor &) = delete;
    TSTreeCursor *get() { return &m_cursor; }

private:
    TSTreeCursor m_cursor;
};

// Parses content with this thread's parser for the grammar, kept per thread and grammar so
// that its buffers are grown once, not for every file. Null when the grammar does not fit
// the runtime (logged, naming `language`) or the parse failed.
SyntaxTree parseSyntaxTree(const QString &language, const TSLanguage *grammar,
                           const QByteArray &content);

} // namespace codeworm
