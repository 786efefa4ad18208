#pragma once

#include "common/Result.h"

#include <QString>

namespace codeworm {

// Keeps a DevLog compact as it grows a document at a time. Every commit adds about five loose
// objects, each a file of its own: months of documents would be tens of thousands of small
// files. Loose objects are packed once there are enough of them (libgit2's packbuilder, with
// deltas among them), and the packs are merged into one when they become many, as `git gc`
// does. Nothing is dropped: a merge keeps every object the old packs held. Blocking: run it
// on the DevLog's worker thread.
class DevLogCompactor
{
public:
    struct Outcome
    {
        int packedObjects = 0; // loose objects moved into a pack
        int mergedPacks = 0;   // packs merged into one (0: no merge)
    };

    // About fifty commits' worth of loose objects: at 4 kB of disk each, more would weigh
    // more than the packs themselves in a young DevLog.
    static constexpr int defaultLooseLimit = 256;
    static constexpr int defaultPackLimit = 25;

    explicit DevLogCompactor(QString repositoryPath);

    // An estimate as git's gc --auto makes it, from a sample of the 256 fan-out folders.
    // Cheap: sixteen small folders are read.
    int estimatedLooseObjects() const;
    int looseObjectCount() const; // exact: every fan-out folder is read
    int packCount() const;

    // Packs the loose objects when there are about looseLimit or more, then merges the packs
    // when there are more than packLimit.
    Result<Outcome> compactIfNeeded(int looseLimit = defaultLooseLimit,
                                    int packLimit = defaultPackLimit);
    // Writes every loose object into one new pack, then removes their loose files. Returns how
    // many were packed.
    Result<int> packLooseObjects();
    // Writes every object of the repository into one new pack (history first, so that deltas
    // follow paths as git's do), then removes the older packs (except those with a .keep file)
    // and the loose files. Returns how many packs were replaced.
    Result<int> mergePacks();

private:
    QString objectsPath() const;

    QString m_path;
};

} // namespace codeworm
