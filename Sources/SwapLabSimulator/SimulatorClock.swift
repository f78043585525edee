import SwapLabModel

/// The event loop: tasks and kswapd threads act at their own times on one virtual clock.
extension Simulator {
    /// Whether anything is happening (then samples are taken every 100 ms).
    var isActive: Bool { !activities.isEmpty || nodes.contains { $0.kswapd.phase != .sleeping } }

    /// Advances the clock to `end`, running every action due before it in time order (ties: periodic sample,
    /// then kswapd by node, then tasks in start order). While nothing happens the clock jumps; samples are taken every
    /// 100 ms while something does, and at the end.
    /// `interrupted` is checked before every action: when it returns true the clock stops where it is.
    func advance(until end: Double, stopWhenIdle: Bool = false, interrupted: () -> Bool = { false }) {
        if !isActive {
            now = Swift.max(now, end)
            recordSample(at: horizon)
            flushStaged(through: now)
            return
        }
        nextSampleIndex = Swift.max(nextSampleIndex, Int((now / SimConstants.sampleInterval).rounded(.down)) + 1)
        var stopped = false
        var end = end
        while true {
            // Idle: the clock stops where the last step ended, but kswapd's actions due before then (its first pass
            // after a wake-up in that step) still happen, so the state at the stop and the trace agree.
            if stopWhenIdle && activities.isEmpty { end = Swift.min(end, Swift.max(now, lastActivityEnd)) }
            if interrupted() {
                stopped = true
                break
            }
            // A long stretch (run 24h) moves what is due into the timeline as it goes, so thinning keeps it bounded.
            if stagedSamples.count > stagedFlushMark {
                flushStaged(through: now)
                // Samples stamped ahead of the clock stay staged: flush again only when as many more have come.
                stagedFlushMark = Swift.max(4096, stagedSamples.count * 2)
            }
            let sampleTime = isActive ? Double(nextSampleIndex) * SimConstants.sampleInterval : Double.infinity
            var t = sampleTime
            var who = -1
            for n in nodes.indices where nodes[n].kswapd.next < t {
                t = nodes[n].kswapd.next
                who = n
            }
            var act = -1
            for a in activities.indices where activities[a].next < t {
                t = activities[a].next
                act = a
            }
            if t > end || t == .infinity { break }
            now = Swift.max(now, t)
            if act >= 0 {
                stepActivity(act, at: t)
            } else if who >= 0 {
                kswapdAction(who, at: t)
            } else {
                recordSample(at: t)
                nextSampleIndex += 1
            }
        }
        if stopped {
            // Interrupted: the clock stays at the last action.
        } else if stopWhenIdle && activities.isEmpty {
            // The last step took time: the clock stands at its end, so the closing sample shows the state then.
            now = Swift.max(now, Swift.min(end, lastActivityEnd))
        } else {
            now = Swift.max(now, end)
        }
        // The closing sample: at the clock, or at the end of the last action that took time, so it counts the swap
        // writes the trace already shows done.
        recordSample(at: horizon)
        flushStaged(through: now)
    }

    // MARK: - Tasks

    /// One step of activity `a` at `t`: allocate a slice of pages through the allocator (fast path at low, slow path
    /// at min, direct reclaim, OOM), place them on the LRU, and schedule the next step.
    func stepActivity(_ a: Int, at t: Double) {
        var act = activities[a]
        // A quiet stretch (every kswapd asleep) may go in one leap up to the low watermarks, at most one sample interval.
        var length = quantum
        if nodes.allSatisfy({ $0.kswapd.phase == .sleeping }) {
            let headroom = zonelist.reduce(Int64(0)) { $0 + zones[$1].capacity(above: zones[$1].low, highest: 3) }
            length = Swift.min(SimConstants.sampleInterval, Swift.max(quantum, Double(headroom) / act.rate))
        }
        let exact = act.rate * length + act.carry
        var want = Int64(exact.rounded(.down))
        act.carry = exact - Double(want)
        if case .swapIn = act.kind { want = Swift.min(want, tasks[Int(act.owner)].swapped) }
        want = Swift.min(want, act.remaining)
        var perZone = [Int64](repeating: 0, count: zones.count)
        var elapsed = 0.0
        var got = take(want, mark: \.low, into: &perZone)
        if got < want {
            wakeAllKswapds(at: t, comm: act.comm, pid: act.pid)
            got += take(want - got, mark: \.min, into: &perZone)
            var noProgress = 0
            while got < want && elapsed < length {
                let r = directReclaim(at: t + elapsed, comm: act.comm, pid: act.pid, want: want - got)
                elapsed += r.cost
                got += take(want - got, mark: \.min, into: &perZone)
                if got >= want { break }
                noProgress = r.reclaimed > 0 ? 0 : noProgress + 1
                if !shouldReclaimRetry(noProgressLoops: noProgress) {
                    let killed = oomKill(at: t + elapsed, comm: act.comm, pid: act.pid)
                    if killed == nil {
                        act.failed = "page allocation failure: nothing left to kill"
                        break
                    }
                    if act.owner >= 0, killed == Int(act.owner) {
                        act.failed = "killed by the OOM killer"
                        break
                    }
                    noProgress = 0
                    got += take(want - got, mark: \.min, into: &perZone)
                }
            }
        }
        if act.owner >= 0, !tasks[Int(act.owner)].alive {
            // Killed by the OOM killer during this step: what it just took goes back with the rest of its memory.
            for (z, p) in perZone.enumerated() { zones[z].free += p }
            markers.append(Marker(time: t, label: "\(act.comm) stopped: killed by the OOM killer"))
            return
        }
        place(perZone, for: act, at: t)
        act.remaining -= got
        act.next = t + Swift.max(length, elapsed)
        if case .swapIn = act.kind, got > 0 {
            // Read from the swap device over the step; a reader that had to wait for another one goes on when its
            // read ends.
            let read = device.read(got, at: t)
            creditAhead(read)
            let end = read.end
            if end > t + Double(got) / SimConstants.swapInRate { act.next = Swift.max(act.next, end) }
        }
        guard let index = activities.firstIndex(where: { $0.pid == act.pid && $0.owner == act.owner }) else { return }
        var done = act.remaining <= 0 || act.failed != nil
        if case .swapIn = act.kind, tasks[Int(act.owner)].swapped == 0 { done = true }
        if done {
            lastActivityEnd = Swift.max(lastActivityEnd, act.next)
            activities.remove(at: index)
            let what: String
            switch act.kind {
            case .anon: what = "alloc \(act.comm)"
            case .file:
                what = Cohort.fileIndex(owner: act.owner).map { "cache --file \(files[$0].name)" } ?? "cache fill"
            case .swapIn: what = "touch \(act.comm)"
            }
            markers.append(Marker(time: act.next, label: act.failed.map { "\(what) stopped: \($0)" } ?? "\(what) done"))
        } else {
            activities[index] = act
        }
    }

    /// Takes up to `n` pages from the zonelist while each zone stays above `mark` plus its protection for
    /// `GFP_HIGHUSER_MOVABLE` (`get_page_from_freelist()` with `__zone_watermark_ok()` for order 0).
    /// What each zone gave is added to `perZone`: the pages' `page_zone()`.
    func take(_ n: Int64, mark: KeyPath<Zone, Int64>, into perZone: inout [Int64]) -> Int64 {
        var need = n
        for z in zonelist where need > 0 {
            let cap = zones[z].capacity(above: zones[z][keyPath: mark], highest: SimConstants.userHighestIndex)
            let k = Swift.min(need, cap)
            if k > 0 {
                zones[z].free -= k
                perZone[z] += k
                need -= k
            }
        }
        return n - need
    }

    /// Puts freshly allocated pages on the LRU: fresh anonymous pages on the inactive list with the PTE young bit
    /// (`folio_add_lru()`; anon starts inactive since 5.9), read or written file pages inactive with `PG_referenced`
    /// (`folio_mark_accessed()`), swapped-in pages like fresh faults. Each cohort keeps the zone it came from.
    func place(_ perZone: [Int64], for act: Activity, at t: Double) {
        for (z, p) in perZone.enumerated() where p > 0 {
            let n = zones[z].node
            switch act.kind {
            case .anon, .swapIn:
                let i = Int(act.owner)
                if tasks[i].locked {
                    // `mlock_folio()`: straight to the unevictable list, where reclaim never looks.
                    nodes[n].unevictable.add(Cohort(owner: act.owner, zone: z, count: p, young: true, referenced: true))
                    tasks[i].lockedPages += p
                } else if case .swapIn = act.kind {
                    // `do_swap_page()` → `workingset_refault()`: recent refaults go straight to the active list.
                    let rest = refaultIn(p, shadows: &tasks[i].shadows, owner: act.owner, node: n, zone: z)
                    counters[.workingsetRefaultAnon] += rest
                    nodes[n].lists[LRUKind.inactiveAnon].add(
                        Cohort(owner: act.owner, zone: z, count: rest, young: true, referenced: false))
                } else {
                    // `madvise(MADV_COLD)` clears the young bit of what was written (`madvise_cold_or_pageout_pte_range()`).
                    nodes[n].lists[LRUKind.inactiveAnon].add(
                        Cohort(owner: act.owner, zone: z, count: p, young: !tasks[i].cold, referenced: false))
                }
                tasks[i].resident[n] += p
                if case .swapIn = act.kind {
                    tasks[i].swapped -= p
                    swapFree += p
                    counters[.pswpin] += p
                    counters[.pgmajfault] += p
                } else {
                    tasks[i].mapped += p
                }
            case .file(let dirty):
                if let i = Cohort.fileIndex(owner: act.owner) {
                    placeFileRead(p, file: i, node: n, zone: z)
                    continue
                }
                nodes[n].lists[LRUKind.inactiveFile].add(
                    Cohort(owner: Cohort.pageCache, zone: z, count: p, young: false, referenced: true, dirty: dirty))
                if dirty { nodes[n].dirty += p }
            }
        }
    }

    /// `wake_all_kswapds()`: `wakeup_kswapd()` once for every node of the zonelist.
    func wakeAllKswapds(at t: Double, comm: String, pid: Int) {
        var seen = Set<Int>()
        for z in zonelist where seen.insert(zones[z].node).inserted {
            wakeupKswapd(node: zones[z].node, at: t, comm: comm, pid: pid)
        }
    }

    /// `should_reclaim_retry()`: give up after more than `MAX_RECLAIM_RETRIES` rounds without progress, or when no
    /// eligible zone could reach min even with all its reclaimable pages (`zone_reclaimable_pages()`, which counts
    /// anon only while swap has room).
    func shouldReclaimRetry(noProgressLoops: Int) -> Bool {
        if noProgressLoops > SimConstants.maxReclaimRetries { return false }
        for z in zonelist {
            let zone = zones[z]
            let node = nodes[zone.node]
            var reclaimable = node.lists.filePages
            if swapFree > 0 { reclaimable += node.lists.anonPages }
            let nodeUsed = node.zoneIDs.reduce(Int64(0)) { $0 + zones[$1].managed - zones[$1].free }
            let share =
                nodeUsed > 0
                ? Int64(Double(reclaimable) * Double(zone.managed - zone.free) / Double(nodeUsed)) : 0
            if share + zone.free > zone.min + zone.protection[SimConstants.userHighestIndex] { return true }
        }
        return false
    }

    /// `out_of_memory()`: kills the task with the highest `oom_badness()` (rss + swap entries + page tables +
    /// `oom_score_adj` × totalpages / 1000), traces `mark_victim`, counts `oom_kill`, and frees the victim's memory.
    /// Returns the victim's index, or nil when nothing can be killed.
    func oomKill(at t: Double, comm: String, pid: Int) -> Int? {
        let totalPages = config.totalManaged.count + config.swap.count
        var best: (index: Int, points: Int64)?
        for (i, task) in tasks.enumerated() where task.alive && task.oomScoreAdj > -1000 {
            let rss = task.residentTotal
            let points =
                rss + task.swapped + (rss + task.swapped) / 512
                + Int64(task.oomScoreAdj) * (totalPages / 1000)
            if rss + task.swapped == 0 { continue }
            if best == nil || points > best!.points { best = (i, points) }
        }
        guard let victim = best?.index else { return nil }
        let task = tasks[victim]
        let rss = task.residentTotal
        let pgtables = Swift.max(1, (rss + task.swapped) / 512) * 4
        emit(
            t, comm: comm, pid: pid, .markVictim,
            "pid=\(task.pid) comm=\(task.name.prefix(15)) total-vm=\(task.mapped * 4)kB anon-rss=\(rss * 4)kB "
                + "file-rss:0kB shmem-rss:0kB uid=0 pgtables=\(pgtables)kB oom_score_adj=\(task.oomScoreAdj)")
        counters[.oomKill] += 1
        freeTask(victim)
        tasks[victim].killed = true
        markers.append(Marker(time: t, label: "oom kill \(task.name)"))
        recordSample(at: t)
        return victim
    }
}
