import SwapLabModel

/// kswapd, direct reclaim and the LRU scan (mm/vmscan.c, classic two-list LRU).
extension Simulator {
    /// Who reclaims: picks the `pgscan_*`/`pgsteal_*` counters and the comm of the trace lines.
    enum Reclaimer {
        case kswapd(node: Int)
        case direct(comm: String, pid: Int)
    }

    /// Result of a reclaim pass.
    struct ReclaimResult {
        var scanned: Int64 = 0
        var reclaimed: Int64 = 0
        var cost: Double = 0
    }

    /// What `shrink_folio_list()` found, summed for one `mm_vmscan_lru_shrink_inactive` line.
    struct ShrinkStats {
        var scanned: Int64 = 0
        var reclaimed: Int64 = 0
        var dirty: Int64 = 0
        var writeback: Int64 = 0
        var activateAnon: Int64 = 0
        var activateFile: Int64 = 0
        var refKeep: Int64 = 0

        /// Adds another pass's findings.
        mutating func add(_ o: ShrinkStats) {
            scanned += o.scanned
            reclaimed += o.reclaimed
            dirty += o.dirty
            writeback += o.writeback
            activateAnon += o.activateAnon
            activateFile += o.activateFile
            refKeep += o.refKeep
        }
    }

    func kswapdComm(_ n: Int) -> String { "kswapd\(n)" }
    func kswapdPID(_ n: Int) -> Int { 45 + n }

    // MARK: - kswapd

    /// `pgdat_balanced()`: true if ANY managed zone up to `highest` has `free > high + lowmem_reserve[highest]`
    /// (or the node has no such zone).
    func nodeBalanced(_ n: Int, highest: Int = SimConstants.userHighestIndex) -> Bool {
        var any = false
        for z in nodes[n].zoneIDs where zones[z].managed > 0 && zones[z].kernelIndex <= highest {
            any = true
            if zones[z].free > zones[z].high + zones[z].protection[highest] { return true }
        }
        return !any
    }

    /// `kswapd_failures >= MAX_RECLAIM_RETRIES`.
    func hopeless(_ n: Int) -> Bool { nodes[n].kswapd.failures >= SimConstants.maxReclaimRetries }

    /// Whether node `n` is hopeless (`kswapd_failures >= MAX_RECLAIM_RETRIES`, zoneinfo `node_unreclaimable 1`).
    public func nodeUnreclaimable(_ n: Int) -> Bool { hopeless(n) }

    /// `wakeup_kswapd()`: records the request; if kswapd waits (asleep or napping), the node is not hopeless and not
    /// balanced at high, traces `mm_vmscan_wakeup_kswapd` in the waker's context and wakes it. A wake during the
    /// 100 ms nap counts `kswapd_low_wmark_hit_quickly`.
    func wakeupKswapd(node n: Int, at t: Double, comm: String, pid: Int) {
        nodes[n].kswapd.highestIndex = SimConstants.userHighestIndex
        guard nodes[n].kswapd.phase != .running else { return }
        guard !hopeless(n), !nodeBalanced(n) else { return }
        emit(t, comm: comm, pid: pid, .wakeupKswapd, "nid=\(n) order=0 gfp_flags=GFP_HIGHUSER_MOVABLE")
        if nodes[n].kswapd.phase == .napping { counters[.kswapdLowWmarkHitQuickly] += 1 }
        startRun(n, at: t + SimConstants.wakeLatency)
    }

    /// The top of `kswapd()`'s loop: the next action begins a `balance_pgdat()` run.
    func startRun(_ n: Int, at t: Double) {
        nodes[n].kswapd.phase = .running
        nodes[n].kswapd.startPending = true
        nodes[n].kswapd.endPending = false
        nodes[n].kswapd.next = t
    }

    /// One kswapd action at `t`: begin a run (`kswapd_wake`, `pageoutrun`), one priority iteration of
    /// `balance_pgdat()`, the end of a run, or the end of the nap.
    func kswapdAction(_ n: Int, at t: Double) {
        var k = nodes[n].kswapd
        switch k.phase {
        case .sleeping:
            nodes[n].kswapd.next = .infinity
            return
        case .napping:
            // `kswapd_try_to_sleep()` after `schedule_timeout(HZ/10)` ran out.
            if hopeless(n) || nodeBalanced(n) {
                emit(t, comm: kswapdComm(n), pid: kswapdPID(n), cpu: n, .kswapdSleep, "nid=\(n)")
                nodes[n].kswapd.phase = .sleeping
                nodes[n].kswapd.next = .infinity
            } else {
                counters[.kswapdHighWmarkHitQuickly] += 1
                startRun(n, at: t)
            }
            return
        case .running:
            break
        }
        if k.startPending {
            k.startPending = false
            k.priority = SimConstants.defPriority
            k.runReclaimed = 0
            counters[.pageoutrun] += 1
            emit(t, comm: kswapdComm(n), pid: kswapdPID(n), cpu: n, .kswapdWake, "nid=\(n) order=0")
        }
        if k.endPending || nodeBalanced(n, highest: k.highestIndex) {
            // The loop ran out of priorities (count a failure if nothing was reclaimed) or the node is balanced.
            if k.endPending && k.runReclaimed == 0 { k.failures += 1 }
            k.endPending = false
            nodes[n].kswapd = k
            snapshotRefaults(n)
            trySleep(n, at: t)
            return
        }
        nodes[n].kswapd = k
        var cost = 0.0
        if swapFree > 0 && inactiveIsLow(n, file: false) {
            cost += shrinkActive(n, .activeAnon, SimConstants.swapClusterMax)
        }
        let target = nodes[n].zoneIDs.filter { zones[$0].managed > 0 && zones[$0].kernelIndex <= k.highestIndex }
            .reduce(Int64(0)) { $0 + Swift.max(zones[$1].high, SimConstants.swapClusterMax) }
        let r = shrinkNode(n, priority: k.priority, by: .kswapd(node: n), nrToReclaim: target, at: t)
        cost += r.cost
        k = nodes[n].kswapd
        let raisePriority = Swift.max(r.scanned, r.reclaimed) < target
        if raisePriority || r.reclaimed == 0 { k.priority -= 1 }
        k.runReclaimed += r.reclaimed
        if k.priority < 1 { k.endPending = true }
        k.next = t + Swift.max(cost, 0.000_01)
        nodes[n].kswapd = k
    }

    /// `kswapd_try_to_sleep()`: balanced (or hopeless) → the 100 ms nap; otherwise straight into another run,
    /// counting `kswapd_high_wmark_hit_quickly`.
    func trySleep(_ n: Int, at t: Double) {
        if hopeless(n) || nodeBalanced(n) {
            nodes[n].kswapd.phase = .napping
            nodes[n].kswapd.next = t + SimConstants.napSeconds
        } else {
            counters[.kswapdHighWmarkHitQuickly] += 1
            startRun(n, at: t)
        }
    }

    // MARK: - Direct reclaim

    /// `try_to_free_pages()` → `do_try_to_free_pages()` for the allocating task: priorities 12 → 0 over the nodes
    /// of the zonelist until `nr_to_reclaim` is met. The kernel asks for `SWAP_CLUSTER_MAX` per call; the simulator
    /// reclaims one task's calls within one step in one go, for the step's shortfall (at least 32), then counts and
    /// traces them as the kernel's calls (`splitIntoCalls`).
    func directReclaim(at t: Double, comm: String, pid: Int, want: Int64) -> ReclaimResult {
        let start = Swift.max(t, directReclaimEnds[pid] ?? t)
        emit(start, comm: comm, pid: pid, .directReclaimBegin, Self.directReclaimBeginPayload)
        // `__alloc_pages_direct_reclaim()` drains the per-CPU lists when its retry still fails; the simulator
        // drains them as the call begins.
        drainPerCPULists()
        let nrToReclaim = Swift.max(SimConstants.swapClusterMax, want)
        var total = ReclaimResult()
        var nodeOrder: [Int] = []
        for z in zonelist where !nodeOrder.contains(zones[z].node) { nodeOrder.append(zones[z].node) }
        var priority = SimConstants.defPriority
        while priority >= 0 {
            for n in nodeOrder {
                let r = shrinkNode(
                    n, priority: priority, by: .direct(comm: comm, pid: pid),
                    nrToReclaim: nrToReclaim - total.reclaimed, at: t + total.cost)
                total.scanned += r.scanned
                total.reclaimed += r.reclaimed
                total.cost += r.cost
                if total.reclaimed >= nrToReclaim { break }
            }
            if total.reclaimed >= nrToReclaim { break }
            priority -= 1
        }
        total.cost = Swift.max(total.cost, 0.000_005)
        for n in nodeOrder { snapshotRefaults(n) }
        splitIntoCalls(total.reclaimed, from: start, to: t + total.cost, comm: comm, pid: pid)
        directReclaimEnds[pid] = t + total.cost
        return total
    }

    static let directReclaimBeginPayload = "order=0 gfp_flags=GFP_HIGHUSER_MOVABLE"

    /// The kernel's `try_to_free_pages()` calls behind one merged direct reclaim of `reclaimed` pages: each call stops
    /// once it has `SWAP_CLUSTER_MAX` (32), so there are `reclaimed / 32` of them (at least one), each counted in
    /// `allocstall_movable` and traced as a begin/end pair, side by side over the merged call's span. The first begin
    /// and the last end are milestones; the pairs between are recorded up to `SimConstants.directCallEventLimit`
    /// events per machine, then only counted.
    func splitIntoCalls(_ reclaimed: Int64, from start: Double, to end: Double, comm: String, pid: Int) {
        let calls = Swift.max(1, reclaimed / SimConstants.swapClusterMax)
        counters[VMCounter.allocstall(.movable)] += calls
        let each = reclaimed / calls
        let span = Swift.max(0, end - start)
        let room = Swift.max(0, SimConstants.directCallEventLimit - directCallEvents) / 2
        let recorded = Swift.min(calls - 1, Int64(room))
        for i in 0..<recorded {
            let edge = start + span * Double(i + 1) / Double(calls)
            stagedEvents.append(
                TraceEvent(
                    time: edge, comm: comm, pid: pid, cpu: 0, flags: ".....",
                    name: TracepointName.directReclaimEnd.rawValue, payload: "nr_reclaimed=\(each)"))
            stagedEvents.append(
                TraceEvent(
                    time: edge, comm: comm, pid: pid, cpu: 0, flags: ".....",
                    name: TracepointName.directReclaimBegin.rawValue, payload: Self.directReclaimBeginPayload))
        }
        directCallEvents += Int(recorded) * 2
        if calls - 1 > recorded {
            let left = Int(calls - 1 - recorded)
            if suppressedBulkEvents[TracepointName.directReclaimBegin.rawValue] == nil {
                markers.append(
                    Marker(
                        time: Swift.max(now, Swift.min(end, now)),
                        label: "trace limit: further direct reclaim calls are counted, not traced"))
            }
            suppressedBulkEvents[TracepointName.directReclaimBegin.rawValue, default: 0] += left
            suppressedBulkEvents[TracepointName.directReclaimEnd.rawValue, default: 0] += left
        }
        emit(end, comm: comm, pid: pid, .directReclaimEnd, "nr_reclaimed=\(reclaimed - each * (calls - 1))")
    }

    // MARK: - The LRU scan

    /// `inactive_is_low()`: `inactive * int_sqrt(10 * GB) < active` (ratio 1 below 1 GB).
    func inactiveIsLow(_ n: Int, file: Bool) -> Bool {
        let inactive = nodes[n].lists[file ? .inactiveFile : .inactiveAnon].total
        let active = nodes[n].lists[file ? .activeFile : .activeAnon].total
        let gb = (inactive + active) >> 18
        let ratio = gb > 0 ? WatermarkFormula.intSqrt(10 * gb) : 1
        return inactive * ratio < active
    }

    /// `shrink_node()` → `prepare_scan_control()`, `get_scan_count()` and `shrink_lruvec()` for one node at one
    /// priority: scan `lru_size >> priority` of each list, balanced by swappiness (`SCAN_FILE` without swap room or
    /// in cache-trim mode, `SCAN_ANON` when file is tiny, `SCAN_EQUAL` at priority 0, else `SCAN_FRACT`), in rounds,
    /// stopping once `nrToReclaim` is met (direct reclaim at `DEF_PRIORITY` does not stop early).
    func shrinkNode(_ n: Int, priority: Int, by who: Reclaimer, nrToReclaim: Int64, at t: Double) -> ReclaimResult {
        let canSwap = swapFree > 0
        var targets = scanTargets(n, priority: priority, canSwap: canSwap)
        let proportional: Bool = {
            if case .direct = who { return priority == SimConstants.defPriority }
            return false
        }()
        let chunks = targets.map { Swift.max(SimConstants.swapClusterMax, $0 / 8) }
        var result = ReclaimResult()
        var stats = [ShrinkStats(), ShrinkStats()]
        while targets[0] > 0 || targets[2] > 0 || targets[3] > 0 {
            for lru in LRUKind.allCases where targets[lru.rawValue] > 0 {
                // The kernel isolates SWAP_CLUSTER_MAX at a time and stops soon after nr_to_reclaim is met; the
                // simulator's larger chunks (an eighth of the target) must not overshoot it by a whole chunk, or one
                // low-priority pass over a big list reclaims a hundred times what was asked.
                var k = Swift.min(targets[lru.rawValue], chunks[lru.rawValue])
                if !proportional {
                    k = Swift.min(k, Swift.max(SimConstants.swapClusterMax, nrToReclaim - result.reclaimed))
                }
                targets[lru.rawValue] -= k
                if lru.isActive {
                    result.cost += shrinkActive(n, lru, k)
                } else {
                    let r = shrinkInactive(
                        n, lru, k, by: who, at: t + result.cost, stats: &stats[lru.isFile ? 1 : 0])
                    result.scanned += r.scanned
                    result.reclaimed += r.reclaimed
                    result.cost += r.cost
                }
            }
            if result.reclaimed >= nrToReclaim && !proportional { break }
        }
        if canSwap && inactiveIsLow(n, file: false) {
            result.cost += shrinkActive(n, .activeAnon, SimConstants.swapClusterMax)
        }
        if result.reclaimed > 0 { nodes[n].kswapd.failures = 0 }
        traceShrinkInactive(stats, node: n, priority: priority, by: who, at: t + result.cost)
        return result
    }

    /// How `get_scan_count()` balances the lists (`enum scan_balance` in mm/vmscan.c).
    enum ScanBalance { case fract, file, anon, equal }

    /// `get_scan_count()`: how many pages of each list (indexed by `LRUKind.rawValue`) to scan at `priority`:
    /// `lru_size >> priority`, balanced as `ScanBalance` says; an active list only when `may_deactivate` allows it.
    func scanTargets(_ n: Int, priority: Int, canSwap: Bool) -> [Int64] {
        let lists = nodes[n].lists
        let deactivateAnon = mayDeactivate(n, file: false)
        let deactivateFile = mayDeactivate(n, file: true)
        let balance = scanBalance(
            n, priority: priority, canSwap: canSwap, deactivateAnon: deactivateAnon, deactivateFile: deactivateFile)
        // calculate_pressure_balance()
        let totalCost = nodes[n].anonCost + nodes[n].fileCost
        let anonCost = totalCost + nodes[n].anonCost
        let fileCost = totalCost + nodes[n].fileCost
        let all = anonCost + fileCost
        let swappiness = config.swappiness
        let ap = swappiness * (all + 1) / (anonCost + 1)
        let fp = (200 - swappiness) * (all + 1) / (fileCost + 1)

        var targets = [Int64](repeating: 0, count: 4)
        for lru in LRUKind.allCases {
            var scan = lists[lru].total >> priority
            switch balance {
            case .equal: break
            case .file: if !lru.isFile { scan = 0 }
            case .anon: if lru.isFile { scan = 0 }
            case .fract:
                let denominator = ap + fp
                scan = denominator > 0 ? Int64(Double(scan) * Double(lru.isFile ? fp : ap) / Double(denominator)) : 0
            }
            if lru.isActive && !(lru.isFile ? deactivateFile : deactivateAnon) { scan = 0 }
            targets[lru.rawValue] = scan
        }
        return targets
    }

    /// `prepare_scan_control()` and the first half of `get_scan_count()`: `SCAN_FILE` without swap room or in
    /// cache-trim mode, `SCAN_EQUAL` at priority 0, `SCAN_ANON` when file is tiny, else `SCAN_FRACT`.
    func scanBalance(
        _ n: Int, priority: Int, canSwap: Bool, deactivateAnon: Bool, deactivateFile: Bool
    )
        -> ScanBalance
    {
        let zoneIDs = nodes[n].zoneIDs
        let lists = nodes[n].lists
        let cacheTrim = (lists[.inactiveFile].total >> priority) > 0 && !deactivateFile
        let nodeFree = zoneIDs.reduce(Int64(0)) { $0 + zones[$1].free }
        let totalHigh = zoneIDs.reduce(Int64(0)) { $0 + zones[$1].high }
        let fileIsTiny =
            lists.filePages + nodeFree <= totalHigh && !deactivateAnon
            && (lists[.inactiveAnon].total >> priority) > 0
        if !canSwap { return .file }
        if priority == 0 { return .equal }
        if fileIsTiny { return .anon }
        if cacheTrim { return .file }
        return .fract
    }

    /// One `mm_vmscan_lru_shrink_inactive` line per list type the `shrink_node()` call scanned (the kernel prints
    /// one per `shrink_inactive_list()` call).
    func traceShrinkInactive(_ stats: [ShrinkStats], node n: Int, priority: Int, by who: Reclaimer, at t: Double) {
        let (comm, pid, cpu) = identity(who)
        for (i, st) in stats.enumerated() where st.scanned > 0 {
            emitBulk(
                t, comm: comm, pid: pid, cpu: cpu, .lruShrinkInactive,
                "nid=\(n) nr_scanned=\(st.scanned) nr_reclaimed=\(st.reclaimed) nr_dirty=\(st.dirty) "
                    + "nr_writeback=\(st.writeback) nr_congested=0 nr_immediate=\(st.writeback) "
                    + "nr_activate_anon=\(st.activateAnon) nr_activate_file=\(st.activateFile) nr_ref_keep=\(st.refKeep) "
                    + "nr_unmap_fail=0 priority=\(priority) flags=\(i == 1 ? "RECLAIM_WB_FILE" : "RECLAIM_WB_ANON")|RECLAIM_WB_ASYNC"
            )
        }
    }

    /// `shrink_active_list()`: takes `count` pages from the active tail, clears their young bits and deactivates them
    /// with `PG_workingset` (`pgrefill`, `pgdeactivate`); executable file pages are not modelled, so none rotate back.
    func shrinkActive(_ n: Int, _ lru: LRUKind, _ count: Int64) -> Double {
        scratch.removeAll(keepingCapacity: true)
        nodes[n].lists[lru].takeOldest(count, into: &scratch)
        var moved: Int64 = 0
        let target = lru.isFile ? LRUKind.inactiveFile : .inactiveAnon
        for var c in scratch {
            c.young = false
            c.workingset = true
            moved += c.count
            nodes[n].lists[target].add(c)
        }
        counters[.pgrefill] += moved
        counters[.pgdeactivate] += moved
        return Double(moved) * SimConstants.rotateCost
    }

    /// `shrink_inactive_list()` + `shrink_folio_list()` with `folio_check_references()`: young and referenced →
    /// activate; young only → keep with `PG_referenced` (second chance); old anon → swap out while swap has room
    /// (`pswpout`, `mm_vmscan_write_folio`), else activate; old clean file → drop; dirty file → writeback first
    /// (`nr_dirty`), reclaimable once written. Counts `pgscan_*`/`pgsteal_*`, notes the cost (`lru_note_cost()`) and adds
    /// to `stats` (traced once per `shrinkNode` call as `mm_vmscan_lru_shrink_inactive`).
    func shrinkInactive(
        _ n: Int, _ lru: LRUKind, _ count: Int64, by who: Reclaimer, at t: Double, stats: inout ShrinkStats
    ) -> ReclaimResult {
        scratch.removeAll(keepingCapacity: true)
        nodes[n].lists[lru].takeOldest(count, into: &scratch)
        let taken = scratch
        var pass = ShrinkStats()
        var pageout: Int64 = 0
        var cost = 0.0
        let task: (comm: String, pid: Int, cpu: Int) = identity(who)
        for var c in taken {
            pass.scanned += c.count
            if c.young {
                c.young = false
                if c.referenced {
                    nodes[n].lists[c.isFile ? .activeFile : .activeAnon].add(c)
                    if c.isFile { pass.activateFile += c.count } else { pass.activateAnon += c.count }
                } else {
                    c.referenced = true
                    nodes[n].lists[lru].add(c)
                    pass.refKeep += c.count
                }
                continue
            }
            if c.isFile {
                reclaimFile(c, node: n, lru, at: t, pass: &pass, cost: &cost)
            } else {
                reclaimAnon(c, node: n, by: who, as: task, at: t, pass: &pass, pageout: &pageout, cost: &cost)
            }
        }
        cost += Double(pass.scanned) * SimConstants.scanCost
        guard pass.scanned > 0 else { return ReclaimResult() }
        countScan(pass, node: n, file: lru.isFile, by: who, pageout: pageout)
        stats.add(pass)
        return ReclaimResult(scanned: pass.scanned, reclaimed: pass.reclaimed, cost: cost)
    }

    /// `shrink_folio_list()` for an old file cohort: under writeback it stays; dirty, it is written back first
    /// (`pageout()`, `nr_dirty`) and stays; clean, it is dropped and its pages freed to its zone.
    func reclaimFile(
        _ c: Cohort, node n: Int, _ lru: LRUKind, at t: Double, pass: inout ShrinkStats, cost: inout Double
    ) {
        var c = c
        if c.writebackEnd > 0 && t < c.writebackEnd {
            pass.writeback += c.count
            nodes[n].lists[lru].add(c)
        } else if c.dirty {
            pass.dirty += c.count
            nodes[n].dirty -= c.count
            c.dirty = false
            c.writebackEnd = t + SimConstants.writebackLatency
            nodes[n].lists[lru].add(c)
        } else {
            let shadow = evicted(c, node: n)
            if let i = c.fileIndex {
                files[i].shadows.append(shadow)
                files[i].resident -= c.count
            }
            pass.reclaimed += c.count
            zones[Int(c.zone)].free += c.count
            if zones[Int(c.zone)].pcpHuge > 0 { drainPerCPUList(zone: Int(c.zone)) }
            cost += Double(c.count) * SimConstants.dropCost
        }
    }

    /// `shrink_folio_list()` for an old anon cohort: swapped out while swap has room (`add_to_swap()`, `pageout()`,
    /// one `mm_vmscan_write_folio` per page), the rest activated. The write is queued on the one swap device: the
    /// reclaimer waits while another writer holds it, and its cost runs to the write's end.
    func reclaimAnon(
        _ c: Cohort, node n: Int, by who: Reclaimer, as identity: (comm: String, pid: Int, cpu: Int), at t: Double,
        pass: inout ShrinkStats, pageout: inout Int64, cost: inout Double
    ) {
        var c = c
        let out = Swift.min(c.count, swapFree)
        if out > 0 {
            swapFree -= out
            let owner = Int(c.owner)
            tasks[owner].swapped += out
            var gone = c
            gone.count = out
            tasks[owner].shadows.append(evicted(gone, node: n))
            tasks[owner].resident[n] -= out
            pass.reclaimed += out
            zones[Int(c.zone)].free += out
            if zones[Int(c.zone)].pcpHuge > 0 { drainPerCPUList(zone: Int(c.zone)) }
            pageout += out
            let kind: SwapDevice.Kind
            if case .kswapd = who { kind = .kswapdWrite } else { kind = .directWrite }
            let write = device.write(out, at: t + cost, kind: kind)
            creditAhead(write)
            cost = write.end - t
            writeFolioEvents(
                pages: out, zone: Int(c.zone), comm: identity.comm, pid: identity.pid, cpu: identity.cpu, at: t + cost)
        }
        if c.count > out {
            c.count -= out
            c.referenced = true
            nodes[n].lists[LRUKind.activeAnon].add(c)
            pass.activateAnon += c.count
        }
    }

    /// The /proc/vmstat counters of one `shrink_inactive_list()` pass (`pgscan_*`, `pgsteal_*`, `pswpout`, …) and
    /// its cost (`lru_note_cost()`).
    func countScan(_ pass: ShrinkStats, node n: Int, file: Bool, by who: Reclaimer, pageout: Int64) {
        switch who {
        case .kswapd:
            counters[.pgscanKswapd] += pass.scanned
            counters[.pgstealKswapd] += pass.reclaimed
        case .direct:
            counters[.pgscanDirect] += pass.scanned
            counters[.pgstealDirect] += pass.reclaimed
        }
        counters[file ? .pgscanFile : .pgscanAnon] += pass.scanned
        counters[file ? .pgstealFile : .pgstealAnon] += pass.reclaimed
        counters[.pswpout] += pageout
        counters[.nrVmscanWrite] += pageout
        counters[.nrVmscanImmediateReclaim] += pass.writeback
        counters[.pgactivate] += pass.activateAnon + pass.activateFile
        noteCost(n, file: file, io: pageout + pass.dirty, rotated: pass.scanned - pass.reclaimed)
    }

    /// The comm, pid and cpu a reclaimer's trace lines carry.
    func identity(_ who: Reclaimer) -> (String, Int, Int) {
        switch who {
        case .kswapd(let node): return (kswapdComm(node), kswapdPID(node), node)
        case .direct(let c, let p): return (c, p, 0)
        }
    }

    /// `lru_note_cost()`: `cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated`, both costs halved once they pass a quarter
    /// of the lruvec's pages.
    func noteCost(_ n: Int, file: Bool, io: Int64, rotated: Int64) {
        let cost = io * SimConstants.swapClusterMax + rotated
        if file { nodes[n].fileCost += cost } else { nodes[n].anonCost += cost }
        let lruSize = nodes[n].lists.anonPages + nodes[n].lists.filePages
        if nodes[n].fileCost + nodes[n].anonCost > lruSize / 4 {
            nodes[n].fileCost /= 2
            nodes[n].anonCost /= 2
        }
    }

    /// `mm_vmscan_write_folio` for `pages` swapped out at once: one event per `SWAP_CLUSTER_MAX` batch (the last one
    /// may be partial), carrying the first page's hashed address and a pfn in the pages' own zone. `pswpout` counts
    /// every page.
    func writeFolioEvents(pages: Int64, zone z: Int, comm: String, pid: Int, cpu: Int, at t: Double) {
        let batches = Int((pages + SimConstants.swapClusterMax - 1) / SimConstants.swapClusterMax)
        let recorded = Swift.min(batches, Swift.max(0, SimConstants.bulkEventLimit - bulkEvents))
        let zone = zones[z]
        for _ in 0..<recorded {
            let hash = rng.next()
            let pfn = zone.startPFN + Int64((hash >> 20) % UInt64(Swift.max(1, zone.managed)))
            emitBulk(
                t, comm: comm, pid: pid, cpu: cpu, .writeFolio,
                "page=\(hex(rng.next(), width: 16)) pfn=0x\(String(pfn, radix: 16)) flags=RECLAIM_WB_ANON|RECLAIM_WB_ASYNC"
            )
        }
        if batches > recorded { noteSuppressed(.writeFolio, batches - recorded, at: t) }
    }

    func hex(_ v: UInt64, width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: Swift.max(0, width - s.count)) + s
    }
}
