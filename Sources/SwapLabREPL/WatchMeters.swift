import SwapLabModel

/// The notes' htop step in `watch`: a memory bar and a swap bar, as htop's Mem and Swp meters draw them, used
/// against total with the numbers beside each bar.
///
/// Memory is the zones' managed pages (MemTotal counts the same pages), used is what is not free. Of the used part,
/// the page cache is drawn in its own glyph, as htop draws buffers and cache apart from what programs hold.
struct WatchMeters {
    var total: Pages
    var free: Pages
    /// The page cache, when the engine knows it.
    var cache: Pages?
    /// Swap used and total, nil when not known (a replayed recording): then there is no swap bar.
    var swap: (used: Pages, total: Pages)?

    init(total: Pages, free: Pages, cache: Pages?, swap: (used: Pages, total: Pages)?) {
        (self.total, self.free, self.cache, self.swap) = (total, free, cache, swap)
    }

    /// The meters of an engine's status: its populated zones, its page cache and its swap.
    init(_ s: EngineStatus) {
        let zones = s.zones.filter { $0.managed.count > 0 }
        self.init(
            total: zones.reduce(.zero) { $0 + $1.managed }, free: zones.reduce(.zero) { $0 + $1.free },
            cache: s.memory?.file, swap: (s.swapUsed, s.swapTotal))
    }

    /// The glyphs of a bar: what programs hold, the page cache, free.
    static func glyphs(_ name: String) -> (used: Character, cache: Character, free: Character) {
        name == "ascii" ? ("#", "=", " ") : ("█", "▒", " ")
    }

    /// `cells` cells of a bar: `used` of `total` filled, the first `used - cache` in the used glyph, the rest of
    /// the filled part in the cache glyph. Each part is rounded to the nearest cell, so a bar is never more than
    /// half a cell off.
    static func bar(used: Pages, cache: Pages, total: Pages, cells: Int, glyphs: String) -> String {
        let g = Self.glyphs(glyphs)
        guard total.count > 0 else { return String(repeating: g.free, count: cells) }
        func share(_ p: Pages) -> Int {
            Swift.min(cells, Swift.max(0, Int((Double(p.count) / Double(total.count) * Double(cells)).rounded())))
        }
        let filled = share(used)
        let cached = Swift.min(filled, share(cache))
        return String(repeating: g.used, count: filled - cached) + String(repeating: g.cache, count: cached)
            + String(repeating: g.free, count: cells - filled)
    }

    /// The two lines, ` Mem [███▒▒   ] 3.1 GiB of 3.8 GiB, ▒ 1.2 GiB cache` and ` Swp [█  ] 512 MiB of 2 GiB`,
    /// the bars of one length that fits `width` (between 10 and 40 cells).
    func render(width: Int, glyphs: String, _ w: Words) -> String {
        let used = Pages(Swift.max(0, (total - free).count))
        let cache = Pages(Swift.min(used.count, Swift.max(0, (self.cache ?? .zero).count)))
        let mark = Self.glyphs(glyphs).cache
        let size = Quantity.coarse
        var memory = w("\(size(used)) of \(size(total))", "\(size(total)) 중 \(size(used)) 사용")
        if self.cache != nil { memory += w(", \(mark) \(size(cache)) cache", ", \(mark) 캐시 \(size(cache))") }
        let swapText = swap.map { used, total in
            total.count == 0
                ? w("no swap", "swap 없음") : w("\(size(used)) of \(size(total))", "\(size(total)) 중 \(size(used)) 사용")
        }
        let cells = Swift.min(
            40, Swift.max(10, width - 8 - Swift.max(DisplayWidth.of(memory), DisplayWidth.of(swapText ?? ""))))
        let mem = Self.bar(used: used, cache: cache, total: total, cells: cells, glyphs: glyphs)
        guard let swap, let swapText else { return " Mem [\(mem)] \(memory)\n" }
        let swp = Self.bar(used: swap.used, cache: .zero, total: swap.total, cells: cells, glyphs: glyphs)
        return " Mem [\(mem)] \(memory)\n Swp [\(swp)] \(swapText)\n"
    }
}
