import SwapLabKernel
import SwapLabModel

extension LabResult {
    /// `lab run --json` (`swaplab.lab/2`): every field, in docs/lab.md's order. Counts of trace events carry the
    /// event's name, /proc/vmstat counters the counter's name (4 KiB pages); every other number has its unit in its
    /// name. Seconds are rounded to 0.1 s.
    var json: JSONDocument {
        func s(_ v: Double) -> OrderedJSON { .double((v * 10).rounded() / 10) }
        func n(_ v: Int) -> OrderedJSON { .int(Int64(v)) }
        return JSONDocument(
            .lab,
            [
                ("verdict", .string(verdict)), ("failed_phase", .string(failedPhase)), ("reason", .string(reason)),
                ("phase_wake_ok", .bool(phaseWakeOk)), ("phase_sleep_ok", .bool(phaseSleepOk)),
                ("phase_swap_out_ok", .bool(phaseSwapOutOk)), ("phase_swap_in_ok", .bool(phaseSwapInOk)),
                ("rounds", n(rounds)), ("duration_s", s(seconds)), ("setup_s", s(setupSeconds)),
                ("hog_s", s(hogSeconds)), ("swap_in_s", s(swapInSeconds)), ("restore_s", s(restoreSeconds)),
                ("wakeup_kswapd", n(wakeupKswapd)), ("hog_wakeup_kswapd", n(hogWakeupKswapd)),
                ("kswapd_wake", n(kswapdWake)), ("kswapd_sleep", n(kswapdSleep)), ("direct_reclaim", n(directReclaim)),
                ("pswpout", .int(pswpout)), ("pswpin", .int(pswpin)), ("pswpout_mib", .int(pswpoutMib)),
                ("pswpin_mib", .int(pswpinMib)), ("pgsteal_file", .int(pgstealFile)),
                ("lowest_free_mib", .int(lowestFreeMib)), ("floor_mib", .int(floorMib)),
                ("wake_point_mib", .int(wakePointMib)), ("watermark_scale_factor", .int(watermarkScaleFactor)),
                ("min_free_kbytes", .int(minFreeKbytes)), ("balloon_huge_pages", .int(balloonPages)),
                ("balloon_mib", .int(balloonMib)), ("hog_mib", .int(hogMib)),
                ("hog_rate_mib_per_s", .int(hogRateMibPerS)), ("swapfile_mib", .int(swapfileMib)),
                ("bad_pages", .int(badPages)), ("zone_growth_s", s(zoneGrowthSeconds)),
                ("trace_events", n(traceEvents)), ("watchdog_tripped", .bool(watchdogTripped)),
                ("node_unreclaimable", .bool(nodeUnreclaimable)), ("restored", .bool(restored)),
                ("direct", .bool(direct)),
            ])
    }
}
