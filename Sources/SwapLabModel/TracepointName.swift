/// The kernel's tracepoint names, spelled once: every `vmscan` and `oom` event of Linux 6.18
/// (`include/trace/events/vmscan.h`, `include/trace/events/oom.h`; the fixtures' `events/vmscan` and `events/oom`
/// listings) and the older names swaplab still reads. The simulator emits these, the analysis decodes them, and the
/// course names them; nothing else spells a tracepoint.
public enum TracepointName: String, CaseIterable, Hashable, Sendable {
    // vmscan: kswapd (`kswapd()`, `wakeup_kswapd()` in mm/vmscan.c)
    case kswapdWake = "mm_vmscan_kswapd_wake"
    case kswapdSleep = "mm_vmscan_kswapd_sleep"
    case wakeupKswapd = "mm_vmscan_wakeup_kswapd"
    // vmscan: reclaim entry points (`try_to_free_pages()`, memcg, `node_reclaim()`)
    case directReclaimBegin = "mm_vmscan_direct_reclaim_begin"
    case directReclaimEnd = "mm_vmscan_direct_reclaim_end"
    case memcgReclaimBegin = "mm_vmscan_memcg_reclaim_begin"
    case memcgReclaimEnd = "mm_vmscan_memcg_reclaim_end"
    case memcgSoftlimitReclaimBegin = "mm_vmscan_memcg_softlimit_reclaim_begin"
    case memcgSoftlimitReclaimEnd = "mm_vmscan_memcg_softlimit_reclaim_end"
    case nodeReclaimBegin = "mm_vmscan_node_reclaim_begin"
    case nodeReclaimEnd = "mm_vmscan_node_reclaim_end"
    // vmscan: the LRU work (`shrink_inactive_list()`, `shrink_active_list()`, `isolate_lru_folios()`, `pageout()`)
    case lruIsolate = "mm_vmscan_lru_isolate"
    case lruShrinkInactive = "mm_vmscan_lru_shrink_inactive"
    case lruShrinkActive = "mm_vmscan_lru_shrink_active"
    case writeFolio = "mm_vmscan_write_folio"
    /// `mm_vmscan_write_folio` as kernels up to 5.15 named it.
    case writepage = "mm_vmscan_writepage"
    /// `reclaim_pages()` (madvise, DAMON), new in 6.13.
    case reclaimPages = "mm_vmscan_reclaim_pages"
    case throttled = "mm_vmscan_throttled"
    case shrinkSlabStart = "mm_shrink_slab_start"
    case shrinkSlabEnd = "mm_shrink_slab_end"
    // oom (mm/oom_kill.c, mm/page_alloc.c)
    /// The OOM killer chose a victim (`mark_oom_victim()`).
    case markVictim = "mark_victim"
    case oomScoreAdjUpdate = "oom_score_adj_update"
    case reclaimRetryZone = "reclaim_retry_zone"
    case compactRetry = "compact_retry"
    case wakeReaper = "wake_reaper"
    case startTaskReaping = "start_task_reaping"
    case finishTaskReaping = "finish_task_reaping"
    case skipTaskReaping = "skip_task_reaping"

    /// The events Linux 6.18 has (every case but the renamed `writepage`).
    public static let linux618: [TracepointName] = allCases.filter { $0 != .writepage }

    /// The tracepoint an event of this name is, nil for a name swaplab does not know.
    public init?(event: TraceEvent) { self.init(rawValue: event.name) }
}
