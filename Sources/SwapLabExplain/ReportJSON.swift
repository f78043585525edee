import Foundation
import SwapLabAnalysis
import SwapLabModel

extension ReclaimReport {
    /// The `explain --json` document (`swaplab.explain/2`, every key in docs/json.md): `source`, `events` (count
    /// per event name, most first), `kswapd_cycles`, `kswapd_cycles_more`, `direct_reclaim`, `oom_kills`,
    /// `oom_victims`, `swap`, `watermark_crossings`, `not_kswapd_reclaim_pages_events`, `notes`, `trace_lines`
    /// (null unless read from a trace file). Times (`_s`) are seconds on the timeline's clock (6 decimals).
    ///
    /// Bounded whatever the trace holds: `kswapd_cycles` lists the first `ReclaimAnalyzer.keptCycles` cycles and
    /// `kswapd_cycles_more` adds up the rest (`cycles` 0 when there are none); each cycle lists its first
    /// `KswapdCycle.keptWakers` wake-ups in `woken_by` and counts all in `wakeups`; `oom_victims` lists the first
    /// `ReclaimAnalyzer.keptKills` of the `oom_kills`.
    public func json() -> JSONDocument {
        let events = eventCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let d = directReclaim
        return JSONDocument(
            .explain,
            [
                (
                    "source",
                    .object([
                        ("events", .int(Int64(eventCount))), ("samples", .int(Int64(sampleCount))),
                        ("start_s", time(span?.lowerBound)), ("end_s", time(span?.upperBound)),
                        ("backward_steps", .int(Int64(backwardSteps))),
                        ("largest_step_back_s", .fixed(largestStepBack, 6)),
                        ("ignored_values", .int(Int64(ignoredValues))),
                    ])
                ),
                ("events", .object(events.map { ($0.key, .int(Int64($0.value))) })),
                ("kswapd_cycles", .array(cyclesJSON())),
                ("kswapd_cycles_more", moreCyclesJSON()),
                (
                    "direct_reclaim",
                    .object([
                        ("episodes", .int(Int64(d.episodes))), ("total_ms", .fixed(d.totalMs, 3)),
                        ("max_ms", .fixed(d.maxMs, 3)), ("median_ms", .fixed(d.medianMs, 3)),
                        ("reclaimed_pages", .int(d.reclaimed)),
                        ("unmatched", .int(Int64(d.unmatchedBegins + d.unmatchedEnds))),
                    ])
                ),
                ("oom_kills", .int(Int64(oomKills.count + moreOOMKills))),
                ("oom_victims", .array(oomVictimsJSON())),
                (
                    "swap",
                    .object([
                        ("pswpout", counterDeltas["pswpout"].map { .int($0) } ?? .null),
                        ("pswpin", counterDeltas["pswpin"].map { .int($0) } ?? .null),
                    ])
                ),
                ("watermark_crossings", .array(crossingsJSON())),
                ("closest_to_wake", margin(closestToWake)),
                ("closest_to_min", margin(closestToMin)),
                ("not_kswapd_reclaim_pages_events", .int(Int64(otherReclaimPages.lines))),
                ("notes", .array(notes.map { .string($0.rawValue) })),
                ("trace_lines", traceLinesJSON()),
            ])
    }

    /// A time in seconds with 6 decimals, or null.
    private func time(_ t: Double?) -> OrderedJSON { t.map { .fixed($0, 6) } ?? .null }

    /// The counters `explain` reports, those `d` has, in `ReclaimExplainer.reportedCounters` order.
    private func counters(_ d: [String: Int64]) -> OrderedJSON {
        .object(ReclaimExplainer.reportedCounters.compactMap { n in d[n].map { (n, .int($0)) } })
    }

    /// `closest_to_wake` and `closest_to_min`: the margin at its lowest, or null.
    private func margin(_ m: ReclaimMargin?) -> OrderedJSON {
        m.map {
            .object([
                ("time_s", .fixed($0.time, 6)), ("free_pages", .int($0.free.count)),
                ("threshold_pages", .int($0.threshold.count)), ("distance_pages", .int($0.distance.count)),
            ])
        } ?? .null
    }

    /// `kswapd_cycles`: each cycle kept, with its wake-ups, the zones balanced at its sleep and its counters.
    private func cyclesJSON() -> [OrderedJSON] {
        cycles.map { c in
            .object([
                ("node", .int(Int64(c.nid))),
                ("wake_s", time(c.wake)),
                ("sleep_s", time(c.sleep)),
                ("passes", .int(Int64(c.passes))),
                ("orders", .array(c.orders.map { .int(Int64($0)) })),
                (
                    "woken_by",
                    .array(
                        c.wakers.map { w in
                            .object([
                                ("time_s", .fixed(w.time, 6)), ("comm", .string(w.comm)), ("pid", .int(Int64(w.pid))),
                                ("order", .int(Int64(w.order))), ("gfp_flags", .string(w.gfpFlags)),
                                ("boost", .bool(w.isBoostWake)),
                            ])
                        })
                ),
                (
                    "balanced_zones",
                    c.sleepSampleTime == nil ? .null : .array(c.balancedAtSleep.map { .string($0.zone.rawValue) })
                ),
                ("wakeups", .int(Int64(max(c.wakeups, c.wakers.count)))),
                ("nap_wakeups", .int(Int64(c.napWakeups))),
                ("gave_up", .bool(c.gaveUp)),
                ("anon_written_folios", .int(Int64(c.anonWritten))),
                ("file_reclaimed_pages", .int(c.fileReclaimed)),
                ("anon_reclaimed_pages", .int(c.anonReclaimed)),
                ("counters", counters(c.counterDeltas)),
            ])
        }
    }

    /// `kswapd_cycles_more`: the cycles after those kept, added up.
    private func moreCyclesJSON() -> OrderedJSON {
        let m = moreCycles
        return .object([
            ("cycles", .int(Int64(m.count))), ("start_s", time(m.earliest)), ("end_s", time(m.latest)),
            ("passes", .int(Int64(m.passes))), ("slept", .int(Int64(m.slept))),
            ("still_running", .int(Int64(m.stillRunning))), ("woken_by_allocation", .int(Int64(m.wokenByAllocation))),
            ("boost_wakes", .int(Int64(m.boostWakes))), ("many_passes", .int(Int64(m.manyPasses))),
            ("anon_written_folios", .int(Int64(m.anonWritten))), ("file_reclaimed_pages", .int(m.fileReclaimed)),
            ("anon_reclaimed_pages", .int(m.anonReclaimed)), ("total_s", .fixed(m.seconds, 6)),
            ("longest_s", time(m.longest)),
        ])
    }

    /// `oom_victims`: the first kills, with what mark_victim printed of each.
    private func oomVictimsJSON() -> [OrderedJSON] {
        oomKills.map { k in
            .object([
                ("time_s", .fixed(k.time, 6)), ("pid", .int(Int64(k.pid))),
                ("comm", k.comm.map { .string($0) } ?? .null),
                ("anon_rss_kib", k.anonRSSkB.map { .int($0) } ?? .null),
                ("file_rss_kib", k.memory.fileRSSkB.map { .int($0) } ?? .null),
                ("shmem_rss_kib", k.memory.shmemRSSkB.map { .int($0) } ?? .null),
                ("pgtables_kib", k.memory.pgtableskB.map { .int($0) } ?? .null),
            ])
        }
    }

    /// `watermark_crossings`: each time a zone's free pages crossed a watermark, in time order.
    private func crossingsJSON() -> [OrderedJSON] {
        crossings.map { x in
            .object([
                ("time_s", .fixed(x.time, 3)), ("node", .int(Int64(x.node))),
                ("zone", .string(x.zone.rawValue)),
                ("from", .string(x.from.name)), ("to", .string(x.to.name)), ("free_pages", .int(x.free)),
            ])
        }
    }

    /// `trace_lines`: what the trace file's lines held besides events, or null when not read from a file.
    private func traceLinesJSON() -> OrderedJSON {
        traceLines.map { c in
            .object([
                ("events", .int(Int64(c.parsed))), ("other", .int(Int64(c.skipped))),
                ("lost_events", .int(Int64(c.lost))), ("lost_events_at_least", .bool(c.lostIsLowerBound)),
                (
                    "refused",
                    .object([
                        ("length", .int(Int64(c.refused.length))), ("time", .int(Int64(c.refused.time))),
                        ("pid", .int(Int64(c.refused.pid))), ("cpu", .int(Int64(c.refused.cpu))),
                    ])
                ),
            ])
        } ?? .null
    }
}
