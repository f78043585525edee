import SwapLabModel

/// A shadow entry left in the page cache (or the swap cache) by an evicted page (`workingset_eviction()`): the node's
/// eviction clock at the time, and `PG_workingset`.
struct Shadow: Sendable {
    var count: Int64
    var age: Int64
    var workingset: Bool
}

/// What a node keeps for the workingset code (`lruvec->nonresident_age`, `lruvec->refaults[]`).
struct WorkingsetState: Sendable {
    /// `nonresident_age`: ticks on every eviction and every refault activation.
    var nonresidentAge: Int64 = 0
    /// `WORKINGSET_ACTIVATE_ANON/FILE` of this node, and their values at the last `snapshot_refaults()`.
    var activate: [Int64] = [0, 0]
    var snapshot: [Int64] = [0, 0]
}

extension Simulator {
    /// `workingset_eviction()` for `count` pages of node `n`: the shadow takes the eviction clock, which then ticks.
    func evicted(_ c: Cohort, node n: Int) -> Shadow {
        let s = Shadow(count: c.count, age: nodes[n].workingset.nonresidentAge, workingset: c.workingset)
        nodes[n].workingset.nonresidentAge += c.count
        return s
    }

    /// `workingset_test_recent()`: the refault distance (`nonresident_age` now − at eviction) fits the workingset:
    /// active file, plus inactive file for anon, plus active anon (and inactive anon for file) while swap has room.
    func refaultIsRecent(_ s: Shadow, node n: Int, file: Bool) -> Bool {
        let lists = nodes[n].lists
        var size = lists[.activeFile].total
        if !file { size += lists[.inactiveFile].total }
        if swapFree > 0 {
            size += lists[.activeAnon].total
            if file { size += lists[.inactiveAnon].total }
        }
        return nodes[n].workingset.nonresidentAge - s.age <= size
    }

    /// `workingset_refault()` for pages coming back with shadow `s`: counts `workingset_refault_*`; when recent,
    /// activates them (`workingset_activate_*`, the clock ticks) and counts `workingset_restore_*` for pages that
    /// were in the workingset when evicted, whose refault is also a reclaim cost of their list
    /// (`lru_note_cost_refault()`). Returns whether they go on the active list.
    func refault(_ s: Shadow, node n: Int, file: Bool) -> Bool {
        counters[file ? .workingsetRefaultFile : .workingsetRefaultAnon] += s.count
        guard refaultIsRecent(s, node: n, file: file) else { return false }
        nodes[n].workingset.nonresidentAge += s.count
        nodes[n].workingset.activate[file ? 1 : 0] += s.count
        counters[file ? .workingsetActivateFile : .workingsetActivateAnon] += s.count
        if s.workingset {
            counters[file ? .workingsetRestoreFile : .workingsetRestoreAnon] += s.count
            noteCost(n, file: file, io: s.count, rotated: 0)
        }
        return true
    }

    /// Takes up to `count` pages' shadows from the front of `shadows`.
    static func popShadows(_ count: Int64, from shadows: inout [Shadow]) -> [Shadow] {
        var need = count
        var out: [Shadow] = []
        while need > 0, !shadows.isEmpty {
            if shadows[0].count <= need {
                need -= shadows[0].count
                out.append(shadows.removeFirst())
            } else {
                var part = shadows[0]
                part.count = need
                shadows[0].count -= need
                out.append(part)
                need = 0
            }
        }
        return out
    }

    /// `prepare_scan_control()`'s `may_deactivate`: the active list may be aged when its inactive list is low or when
    /// refaults activated pages since the last `snapshot_refaults()` (a new workingset is forming).
    func mayDeactivate(_ n: Int, file: Bool) -> Bool {
        let i = file ? 1 : 0
        let ws = nodes[n].workingset
        return ws.activate[i] != ws.snapshot[i] || inactiveIsLow(n, file: file)
    }

    /// `snapshot_refaults()`: at the end of a kswapd run and of a direct reclaim call.
    func snapshotRefaults(_ n: Int) { nodes[n].workingset.snapshot = nodes[n].workingset.activate }

    /// A read of the whole of file `i` begins (`filemap_read()`): its pages in the page cache are read from there, each
    /// `folio_mark_accessed()` (a second access activates an inactive page: `pgactivate`, and
    /// `workingset_activation()` ages the clock); the others must come from disk. Returns (cached, activated, missing).
    func beginFileRead(_ i: Int) -> (cached: Int64, activated: Int64, missing: Int64) {
        let owner = Cohort.fileOwner(i)
        var activated: Int64 = 0
        for n in nodes.indices {
            var moved: [Cohort] = []
            nodes[n].lists[.inactiveFile].markAccessed(owner: owner, activated: &moved)
            for c in moved { nodes[n].lists[.activeFile].add(c) }
            nodes[n].lists[.activeFile].update(owner: owner) { $0.referenced = true }
            let onNode = moved.reduce(Int64(0)) { $0 + $1.count }
            nodes[n].workingset.nonresidentAge += onNode
            activated += onNode
        }
        counters[.pgactivate] += activated
        return (files[i].resident, activated, files[i].pages - files[i].resident)
    }

    /// `p` pages of `owner` coming back into zone `z` with the shadows at the front of `shadows`, each through
    /// `workingset_refault()`: a recent one goes on the active list, with `PG_workingset` if its shadow had it. A file
    /// page is then marked accessed once (`PG_referenced`); a swapped-in anon page is mapped young, referenced when
    /// active. Returns how many of the `p` pages had no shadow.
    func refaultIn(_ p: Int64, shadows: inout [Shadow], owner: Int32, node n: Int, zone z: Int) -> Int64 {
        let file = owner < 0
        var rest = p
        for s in Self.popShadows(p, from: &shadows) {
            rest -= s.count
            let active = refault(s, node: n, file: file)
            let lru: LRUKind = file ? (active ? .activeFile : .inactiveFile) : (active ? .activeAnon : .inactiveAnon)
            nodes[n].lists[lru].add(
                Cohort(
                    owner: owner, zone: z, count: s.count, young: !file, referenced: file || active,
                    workingset: active && s.workingset))
        }
        return rest
    }

    /// `p` pages of file `i` read from disk into zone `z` (`filemap_add_folio()`): pages with a shadow refault
    /// (`workingset_refault()`; a recent one goes on the active list), the rest are new; all are then
    /// `folio_mark_accessed()` once, so they carry `PG_referenced`.
    func placeFileRead(_ p: Int64, file i: Int, node n: Int, zone z: Int) {
        let owner = Cohort.fileOwner(i)
        let rest = refaultIn(p, shadows: &files[i].shadows, owner: owner, node: n, zone: z)
        nodes[n].lists[.inactiveFile].add(Cohort(owner: owner, zone: z, count: rest, young: false, referenced: true))
        files[i].resident += p
    }
}
