extension Simulator {
    /// Cohorts held on all LRU lists (the simulator's memory grows with this, not with pages).
    public var cohortCount: Int { nodes.reduce(0) { $0 + $1.lists.cohortCount } }

    /// What the simulator simplifies, for `sim about` and the docs.
    public static let about: String = """
        The simulator follows mm/page_alloc.c and mm/vmscan.c of Linux 6.18 (classic two-list LRU):
        - Watermarks and protection: __setup_per_zone_wmarks() and setup_per_zone_lowmem_reserve(), exact.
          min_free_kbytes from the sqrt rule (or --thp, or given). `sysctl` writes vm.min_free_kbytes,
          vm.watermark_scale_factor, vm.watermark_boost_factor, vm.swappiness and vm.nr_hugepages on the running
          machine; the first two recompute the marks as the kernel's handlers do (protection stays, as in the
          kernel); vm.nr_hugepages leaves the marks alone.
        - A machine from a capture (machine --zoneinfo FILE [--vmstat FILE]) starts as captured: each zone's free
          pages, marks and protection as printed, even below high, its LRU pages (nr_zone_*) where they were,
          nr_dirty, and the rest of each zone (kernel, slab, huge pages) taken; min_free_kbytes and
          watermark_scale_factor are read off the marks. kswapd starts asleep and wakes at the first allocation
          that fails at low, as the kernel's would.
        - Huge pages (machine --hugepages N, sysctl vm.nr_hugepages N): a pool of 2 MiB pages off the LRU, taken
          as set_max_huge_pages() takes them: one page at a time, nodes in turn, each from its highest zone whose
          free - 511 stays above low + protection (GFP_HIGHUSER_MOVABLE, order 9); shrinking gives back the
          pages at the head of each node's free list, to the zones they came from.
        - Freed huge pages wait on the writing CPU's per-CPU list of their zone (order-9 pages are cached there
          since Linux 5.13) while it stays under its high, the zone's low mark divided by the node's CPUs
          (zone_highsize()): taken, yet not free, so free does not grow for them. Only a huge page takes them
          back; direct reclaim drains them (drain_all_pages()), a lower low mark trims them, and reclaim freeing
          a page into their zone while kswapd balances it empties the list (ZONE_RECLAIM_ACTIVE caps it at 4
          batches; the simulator frees on the CPU that holds it, the kernel on whichever CPU reclaims). A
          machine built from sizes has 2 CPUs; a captured one has the CPUs its zoneinfo lists. The 6.18 VM's
          D6b run shows it: 256 huge pages given back while a pin ran left every zone's free count where it
          was, until kswapd woke.
        - alloc --mlock: the pages go on the unevictable list (mlock_folio()): never scanned, never swapped, freed
          on release or OOM kill; status, allocs and nr_mlock/nr_unevictable show them.
        - lab run on the simulator runs the live lab's recipe on a machine built from this machine's
          /proc/zoneinfo (read only), with the same sizing (LabPlan) and checks (LabStory).
        - Allocations (GFP_HIGHUSER_MOVABLE, order 0): fast path at low + protection, slow path wakes every
          node's kswapd and retries at min, direct reclaim below min, OOM kill when should_reclaim_retry()
          gives up; the victim (highest oom_badness()) is freed.
        - kswapd per node: balance_pgdat() priorities 12 -> 1 until any zone is above high, the 100 ms nap,
          then sleep; kswapd_wake at every run, low/high_wmark_hit_quickly, pageoutrun; 16 runs without
          progress make the node hopeless (node_unreclaimable).
        - LRU: active/inactive anon and file with the young bit and PG_referenced (second chance);
          swappiness balance (SCAN_FILE, SCAN_ANON when file is tiny, cache-trim mode, SCAN_FRACT with
          lru_note_cost()); anon is reclaimed only while swap has room; dirty file is written back first.
          Active lists are aged when their inactive list is low or refaults activated pages since the last
          run (prepare_scan_control()'s may_deactivate); that also ends cache-trim mode and file_is_tiny.
        - Workingset (mm/workingset.c): an evicted file page or a swapped-out anon page leaves a shadow with
          the node's eviction clock (nonresident_age); on refault the distance is compared with the
          workingset (active file, plus anon while swap has room) and a recent page comes back active,
          counting workingset_refault_*, workingset_activate_* and workingset_restore_*.
          A restored page (PG_workingset) also counts as a reclaim cost of its list (lru_note_cost_refault()).
        Simplified or left out:
        - Pages are held as cohorts (runs of pages of one zone in the same state), not one object per page;
          a freed page returns to its own zone (page_zone()).
        - Order-0 only: no compaction, kcompactd, high orders, THP, highatomic or CMA. Watermark boost needs
          fragmentation events, so boost stays 0 (watermark_boost_factor is accepted and shown).
        - Huge pages come only from free memory above low: where the kernel would wake kswapd (order 9), reclaim
          and compact for the rest (__GFP_RETRY_MAYFAIL), the pool stops short and says so; free memory counts as
          whole 2 MiB blocks. No surplus or overcommitted huge pages, no hugetlbfs mappings, one huge page size.
        - mlock is all or nothing per task (alloc --mlock); no munlock, no MCL_FUTURE, no mlock limits.
        - The simulated lab's hogs write at one rate (--rate, 200 MiB/s) from the start, their pages old as
          MADV_COLD leaves them; the live hog writes its approach at full speed. No watchdog: nothing real is
          at risk.
        - No memcg, cpusets, mempolicies or NUMA balancing; tasks run on node 0 and spill over in node order.
        - No MGLRU internals, slab shrinkers, zswap/zram, swap cache, readahead, swap slot reuse,
          background writeback (dirty_expire) or dirty throttling; writeback takes a fixed 100 ms.
        - Only huge pages wait on per-CPU lists: order-0 pages go straight to free, where the kernel caches them
          too, up to a tuned high (up to managed / 8 per CPU); the 6.18 VM's captures hold up to 1.1 GiB there.
          NR_FREE_PAGES has no per-cpu drift. Swap-in counts one major fault per page (no readahead clusters).
        - File pages come back only when you read a file again (cache --file NAME): its cached pages are
          accessed a second time (folio_mark_accessed() activates them), evicted ones refault. The machine's own
          programs are not modelled, so nothing else refaults; a captured machine's files are anonymous cache.
          A file's pages have no offsets and its shadows are never reclaimed (no shadow shrinker).
        - Costs are fixed per page, set by hand from live-lab.md: dropping a clean cache page 2.5 us (~1.5 GiB/s),
          swap-out ~280 MiB/s, swap-in ~340 MiB/s, kswapd wakes 50 us after wakeup_kswapd and naps 100 ms; a task
          writes fresh memory at ~1.5 GiB/s unless --rate is given.
        - swaplab-bench fit measures them on the five runs of the 6.18 VM (each run's median, then the range and
          median over the runs): drop 0.81-1.73 us a page (median 0.98: the simulator drops cache 2.5x too slowly),
          swap-out 169-238 MiB/s (median 203), swap-in 280-360 MiB/s (320), wake 40 us-1.9 ms (100 us), nap
          102-105 ms (102). Only swap-in and the nap are within 10 % so far.
        - kswapd wakes when the allocation fails at low, exactly: the runs' wake-ups came 4-27 MiB above low by the
          100 ms samples (median 7 MiB, within one sample's allocation), so no allocator slack is modelled.
        - One swap device for the machine: the kernel writes swap from many CPUs, but they share one device, so
          the simulator queues every swap-out on it at ~280 MiB/s in all (a reclaimer waits while another one
          writes) and every swap-in at ~340 MiB/s. pswpout, pgsteal and pswpin count pages as their writes and
          reads complete; the pages leave the LRU and free memory grows when reclaim takes them.
        - A task's direct reclaims within one step (1-20 ms) are carried out in one go for the step's shortfall
          (at least 32 pages), then counted and traced as the kernel's try_to_free_pages() calls: one
          allocstall_movable and one begin/end pair per 32 pages reclaimed (SWAP_CLUSTER_MAX), side by side over
          the step. Each call does not restart at priority 12 as the kernel's does, so they scan less.
        Trace events:
        - mm_vmscan_write_folio: one event per batch of up to 32 (SWAP_CLUSTER_MAX) pages swapped out together,
          not one per page; pswpout counts every page. mm_vmscan_lru_shrink_inactive: one event per scan chunk.
        - These two page-scaled events are recorded at most 20000 times per machine, and so are the direct
          reclaim begin/end events between a step's first begin and last end; beyond that they are counted
          (events says how many) and a marker says where the limit was reached. Wake, sleep, wakeup, OOM
          events and each step's first and last direct reclaim event are always recorded.
        """
}

/// The simulator's cost constants as `swaplab-bench fit` sets them beside the values measured on the real runs.
public enum SimulatorCosts {
    /// Pages a second the swap device writes (`1 / SimConstants.swapOutCost`).
    public static var swapOutPagesPerSecond: Double { 1 / SimConstants.swapOutCost }
    /// Pages a second the swap device reads back.
    public static var swapInPagesPerSecond: Double { SimConstants.swapInRate }
    /// Seconds from `wakeup_kswapd()` to `kswapd_wake`.
    public static var wakeLatency: Double { SimConstants.wakeLatency }
    /// Seconds to drop one clean page-cache page.
    public static var dropCost: Double { SimConstants.dropCost }
    /// Seconds of kswapd's nap before it sleeps.
    public static var napSeconds: Double { SimConstants.napSeconds }
}
