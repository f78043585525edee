import SwapLabModel

/// A run of pages that share an owner, a zone and the same LRU state: the simulator's unit instead of a
/// `struct folio`, so that memory and time grow with allocations and events, not with pages. Its zone is
/// `page_zone(page)` in mm.h: the zone the allocator took the pages from, and the zone they return to when freed.
struct Cohort: Hashable, Sendable {
    /// Index of the owning task for anonymous pages; `Cohort.pageCache` for file pages.
    var owner: Int32
    /// Index of the zone (in `Simulator.zones`) the pages belong to.
    var zone: Int32
    var count: Int64
    /// The PTE accessed ("young") bit, set by a fault or a touch and cleared by the reclaim rmap walk.
    var young: Bool
    /// `PG_referenced`.
    var referenced: Bool
    /// `PG_dirty` (file pages only).
    var dirty: Bool
    /// While > 0: under writeback (`PG_writeback`, `PG_reclaim`) until this time.
    var writebackEnd: Double
    /// `PG_workingset`: set when the pages are deactivated from an active list (`shrink_active_list()`) or refault
    /// as recent; an eviction's shadow keeps it.
    var workingset: Bool

    static let pageCache: Int32 = -1
    /// The owner of the pages of file `index` (`Simulator.files`): -2, -3, …
    static func fileOwner(_ index: Int) -> Int32 { Int32(-2 - index) }
    var isFile: Bool { owner < 0 }
    /// The index of the named file whose pages `owner` owns, nil for anon pages and anonymous cache.
    static func fileIndex(owner: Int32) -> Int? { owner <= -2 ? Int(-2 - owner) : nil }
    var fileIndex: Int? { Cohort.fileIndex(owner: owner) }

    init(
        owner: Int32, zone: Int, count: Int64, young: Bool, referenced: Bool, dirty: Bool = false,
        writebackEnd: Double = 0, workingset: Bool = false
    ) {
        self.owner = owner
        self.zone = Int32(zone)
        self.count = count
        self.young = young
        self.referenced = referenced
        self.dirty = dirty
        self.writebackEnd = writebackEnd
        self.workingset = workingset
    }

    func sameState(as o: Cohort) -> Bool {
        owner == o.owner && zone == o.zone && young == o.young && referenced == o.referenced && dirty == o.dirty
            && writebackEnd == o.writebackEnd && workingset == o.workingset
    }
}

/// The four evictable lists of a node's lruvec (`enum lru_list`, unevictable left out).
enum LRUKind: Int, CaseIterable, Sendable {
    case inactiveAnon = 0, activeAnon, inactiveFile, activeFile

    var isFile: Bool { self == .inactiveFile || self == .activeFile }
    var isActive: Bool { self == .activeAnon || self == .activeFile }
    /// `LRU_NAMES` spelling.
    var name: String {
        switch self {
        case .inactiveAnon: return "inactive_anon"
        case .activeAnon: return "active_anon"
        case .inactiveFile: return "inactive_file"
        case .activeFile: return "active_file"
        }
    }
}

/// One LRU list as cohorts, oldest first (the kernel's list tail), newest last (the head `lruvec_add_folio` adds to).
struct LRUList: Sendable {
    private var items: [Cohort] = []
    private var start = 0
    /// Pages on the list.
    private(set) var total: Int64 = 0

    /// Number of cohorts held (for the scale benchmark).
    var cohortCount: Int { items.count - start }

    /// Adds pages at the newest end, merging with the newest cohort when the state is the same.
    mutating func add(_ c: Cohort) {
        guard c.count > 0 else { return }
        total += c.count
        if items.count > start, items[items.count - 1].sameState(as: c) {
            items[items.count - 1].count += c.count
        } else {
            items.append(c)
        }
    }

    /// Takes up to `n` pages from the oldest end (`isolate_lru_folios()`), appending them to `out`.
    mutating func takeOldest(_ n: Int64, into out: inout [Cohort]) {
        var need = n
        while need > 0, start < items.count {
            if items[start].count <= need {
                out.append(items[start])
                need -= items[start].count
                total -= items[start].count
                start += 1
            } else {
                var part = items[start]
                part.count = need
                items[start].count -= need
                total -= need
                out.append(part)
                need = 0
            }
        }
        if start > 32, start * 2 > items.count {
            items.removeFirst(start)
            start = 0
        }
    }

    /// Removes every page of `owner`, adding how many each zone held to `perZone`; returns how many in all.
    mutating func removeAll(owner: Int32, perZone: inout [Int64]) -> Int64 {
        var removed: Int64 = 0
        var kept: [Cohort] = []
        kept.reserveCapacity(items.count - start)
        for c in items[start...] {
            if c.owner == owner {
                removed += c.count
                perZone[Int(c.zone)] += c.count
            } else {
                kept.append(c)
            }
        }
        items = kept
        start = 0
        total -= removed
        return removed
    }

    /// `folio_mark_accessed()` on every page of `owner` on an inactive list: a page with `PG_referenced` is taken off
    /// to be activated (`folio_activate()`, its `PG_referenced` cleared) and appended to `activated`; the others get
    /// `PG_referenced`.
    mutating func markAccessed(owner: Int32, activated: inout [Cohort]) {
        var kept: [Cohort] = []
        kept.reserveCapacity(items.count - start)
        for var c in items[start...] {
            guard c.owner == owner else {
                kept.append(c)
                continue
            }
            if c.referenced {
                c.referenced = false
                total -= c.count
                activated.append(c)
            } else {
                c.referenced = true
                kept.append(c)
            }
        }
        items = kept
        start = 0
    }

    /// Applies `change` to every cohort of `owner` (e.g. a touch setting the young bit).
    mutating func update(owner: Int32, _ change: (inout Cohort) -> Void) {
        for i in start..<items.count where items[i].owner == owner { change(&items[i]) }
    }
}

/// A node's four LRU lists, indexed by kind (`lruvec->lists[NR_LRU_LISTS]`, without the unevictable list).
struct LRUVec {
    private var lists = [LRUList](repeating: LRUList(), count: LRUKind.allCases.count)

    subscript(kind: LRUKind) -> LRUList {
        get { lists[kind.rawValue] }
        _modify { yield &lists[kind.rawValue] }
    }

    /// Pages on the two file lists.
    var filePages: Int64 { self[.inactiveFile].total + self[.activeFile].total }
    /// Cohorts held on the four lists.
    var cohortCount: Int { lists.reduce(0) { $0 + $1.cohortCount } }
    /// Pages on the two anon lists.
    var anonPages: Int64 { self[.inactiveAnon].total + self[.activeAnon].total }
}
