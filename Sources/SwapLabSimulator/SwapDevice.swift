/// The one swap device every reclaimer writes to and every faulting task reads from.
///
/// Writes are queued on it one after another at `1 / SimConstants.swapOutCost` pages a second, whichever CPU or
/// reclaimer submits them: a writer that finds the device busy waits for it, so two reclaimers swapping out at once
/// share the bandwidth instead of doubling it. Reads are queued the same way at `SimConstants.swapInRate`.
/// A transfer's pages are counted in a sample as they complete, spread evenly over the transfer's time: a sample
/// taken while a write is under way counts only the part already written.
struct SwapDevice {
    /// Which counters a transfer's pages go to when they complete.
    enum Kind {
        case kswapdWrite, directWrite, read
    }

    /// One queued transfer: `pages` moved evenly from `start` to `end`.
    struct Transfer {
        var start: Double
        var end: Double
        var pages: Int64
        var kind: Kind

        /// The pages not yet moved at `t`.
        func pending(at t: Double) -> Int64 {
            if t >= end { return 0 }
            if t <= start || end <= start { return pages }
            return Int64((Double(pages) * (end - t) / (end - start)).rounded(.up))
        }
    }

    /// When the device finishes the writes queued so far.
    var writeBusyUntil = 0.0
    /// When it finishes the reads queued so far.
    var readBusyUntil = 0.0
    /// Transfers that may still be under way at a sample yet to be taken.
    var transfers: [Transfer] = []

    /// Queues a write of `pages` that may start at `t`; returns the transfer.
    mutating func write(_ pages: Int64, at t: Double, kind: Kind) -> Transfer {
        let start = Swift.max(t, writeBusyUntil)
        let end = start + Double(pages) * SimConstants.swapOutCost
        writeBusyUntil = end
        transfers.append(Transfer(start: start, end: end, pages: pages, kind: kind))
        return transfers[transfers.count - 1]
    }

    /// Queues a read of `pages` that may start at `t`; returns the transfer. A reader whose previous read
    /// ended less than one page's time after `t` is not held up by it (its steps are rounded to whole pages).
    mutating func read(_ pages: Int64, at t: Double) -> Transfer {
        let start = readBusyUntil > t + 1 / SimConstants.swapInRate ? readBusyUntil : t
        let end = start + Double(pages) / SimConstants.swapInRate
        readBusyUntil = Swift.max(readBusyUntil, end)
        transfers.append(Transfer(start: start, end: end, pages: pages, kind: .read))
        return transfers[transfers.count - 1]
    }

    /// Pages not yet moved at `t`: written by kswapd, written by direct reclaim, read.
    func pending(at t: Double) -> (kswapd: Int64, direct: Int64, read: Int64) {
        var p: (kswapd: Int64, direct: Int64, read: Int64) = (0, 0, 0)
        for x in transfers where x.end > t {
            let n = x.pending(at: t)
            switch x.kind {
            case .kswapdWrite: p.kswapd += n
            case .directWrite: p.direct += n
            case .read: p.read += n
            }
        }
        return p
    }

    /// Forgets transfers complete by `t` (no sample is taken before the clock).
    mutating func forget(through t: Double) {
        if transfers.count > 64 || transfers.first.map({ $0.end <= t }) == true {
            transfers.removeAll { $0.end <= t }
        }
    }
}
