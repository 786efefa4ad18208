#include "devlog/DevLogHistory.h"

#include "common/GitHandles.h"

#include <QFile>
#include <QTimeZone>

namespace codeworm {

namespace {

QString gitFailure(const QString &operation, const QString &path)
{
    return QStringLiteral("%1 failed for %2: %3").arg(operation, path, git::lastError());
}

// The Markdown file a commit added or changed beside the README's index.
QString documentOf(git_repository *repository, git_commit *commit)
{
    if (git_commit_parentcount(commit) != 1) {
        return {};
    }
    git_commit *rawParent = nullptr;
    if (git_commit_parent(&rawParent, commit, 0) < 0) {
        return {};
    }
    const git::Ptr<git_commit> parent(rawParent);
    git_tree *rawOld = nullptr;
    git_tree *rawNew = nullptr;
    if (git_commit_tree(&rawOld, parent.get()) < 0) {
        return {};
    }
    const git::Ptr<git_tree> oldTree(rawOld);
    if (git_commit_tree(&rawNew, commit) < 0) {
        return {};
    }
    const git::Ptr<git_tree> newTree(rawNew);
    git_diff *rawDiff = nullptr;
    // Unchanged subtrees are skipped by their ids: cheap however large the DevLog is.
    if (git_diff_tree_to_tree(&rawDiff, repository, oldTree.get(), newTree.get(), nullptr) < 0) {
        return {};
    }
    const git::Ptr<git_diff> diff(rawDiff);
    for (size_t i = 0, count = git_diff_num_deltas(diff.get()); i < count; ++i) {
        const git_diff_delta *delta = git_diff_get_delta(diff.get(), i);
        if (delta->status != GIT_DELTA_ADDED && delta->status != GIT_DELTA_MODIFIED) {
            continue;
        }
        const QString path = QString::fromUtf8(delta->new_file.path);
        if (path != QLatin1String("README.md") && path.endsWith(QLatin1String(".md"))) {
            return path;
        }
    }
    return {};
}

} // namespace

DevLogHistory::DevLogHistory(QString repositoryPath)
    : m_path(std::move(repositoryPath))
{}

QList<std::pair<QString, QString>> DevLogHistory::trailers(const QByteArray &message)
{
    QList<std::pair<QString, QString>> found;
    git_message_trailer_array array{};
    if (git_message_trailers(&array, message.constData()) < 0) {
        return found;
    }
    for (size_t i = 0; i < array.count; ++i) {
        found.append({QString::fromUtf8(array.trailers[i].key).trimmed(),
                      QString::fromUtf8(array.trailers[i].value).trimmed()});
    }
    git_message_trailer_array_free(&array);
    return found;
}

Result<QList<DocumentCommit>> DevLogHistory::documentsSince(const QString &since) const
{
    return documentsUntil(
        [&since](const QString &commitId) -> Result<bool> { return commitId == since; });
}

Result<QList<DocumentCommit>> DevLogHistory::documentsUntil(
    const std::function<Result<bool>(const QString &commitId)> &known) const
{
    using R = Result<QList<DocumentCommit>>;
    git::ensureInitialized();
    git_repository *rawRepository = nullptr;
    if (git_repository_open(&rawRepository, QFile::encodeName(m_path).constData()) < 0) {
        return R::failure(gitFailure(QStringLiteral("Opening the DevLog repository"), m_path));
    }
    const git::Ptr<git_repository> repository(rawRepository);
    QList<DocumentCommit> documents;
    if (git_repository_head_unborn(repository.get()) == 1) {
        return documents;
    }
    git_revwalk *rawWalk = nullptr;
    if (git_revwalk_new(&rawWalk, repository.get()) < 0) {
        return R::failure(gitFailure(QStringLiteral("Walking the history"), m_path));
    }
    const git::Ptr<git_revwalk> walk(rawWalk);
    git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
    if (git_revwalk_push_head(walk.get()) < 0) {
        return R::failure(gitFailure(QStringLiteral("Reading HEAD"), m_path));
    }
    git_oid id;
    while (git_revwalk_next(&id, walk.get()) == 0) {
        const QString hex = git::oidHex(&id);
        const Result<bool> stop = known(hex);
        if (!stop) {
            return R::failure(stop.error());
        }
        if (stop.value()) {
            break;
        }
        git_commit *rawCommit = nullptr;
        if (git_commit_lookup(&rawCommit, repository.get(), &id) < 0) {
            return R::failure(gitFailure(QStringLiteral("Reading commit %1").arg(hex), m_path));
        }
        const git::Ptr<git_commit> commit(rawCommit);
        DocumentCommit document;
        for (const auto &[key, value] : trailers(git_commit_message(commit.get()))) {
            if (key == QLatin1String("CodeWorm-Type")) {
                document.docType = value;
            } else if (key == QLatin1String("CodeWorm-Repo")) {
                document.repo = value;
            } else if (key == QLatin1String("CodeWorm-Path")) {
                document.sourcePath = value;
            } else if (key == QLatin1String("CodeWorm-Symbol")) {
                document.symbol = value;
            } else if (key == QLatin1String("CodeWorm-Code-Hash")) {
                document.codeHash = value;
            } else if (key == QLatin1String("CodeWorm-Fact-Check")) {
                document.factCheck = value;
            } else if (key == QLatin1String("CodeWorm-Language")) {
                document.language = value;
            }
        }
        if (document.docType.isEmpty()) {
            continue; // not CodeWorm's
        }
        document.commitId = hex;
        const git_signature *committer = git_commit_committer(commit.get());
        document.committedAt = QDateTime::fromSecsSinceEpoch(
            committer->when.time, QTimeZone(committer->when.offset * 60));
        document.documentPath = documentOf(repository.get(), commit.get());
        documents.append(document);
    }
    return documents;
}

} // namespace codeworm
