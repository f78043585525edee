import SwapLabAnalysis
import SwapLabModel

/// What `explain` says after `lab run --compare`: how close the simulator came, the measures off by more than 2×
/// and the behaviours that differ, and why, where the simulator's documented simplifications (`sim about`) give a
/// cause. English and Korean; counter and kernel function names stay as the kernel spells them.
public enum CompareNarrative {
    /// The paragraphs about `comparison`, in `lang`.
    public static func paragraphs(_ comparison: RunComparison, lang: NarrativeLanguage) -> [String] {
        let w = ChartWords(lang)
        let counted = comparison.rows.filter(\.counts)
        let within = counted.filter(\.within).count
        let alike = comparison.behaviours.filter(\.matches).count
        var out = [
            w.say(
                "Beside the simulator (the same lab, simulated from this machine as it was before the run): "
                    + "\(within) of \(counted.count) measures within 2×, \(alike) of \(comparison.behaviours.count) "
                    + "behaviours alike.",
                "시뮬레이터와 나란히 보면 (실습 전 이 컴퓨터 상태에서 같은 실습을 시뮬레이션한 결과): "
                    + "측정값 \(counted.count)개 중 \(within)개가 2배 안에 들고, "
                    + "동작 \(comparison.behaviours.count)개 중 \(alike)개가 같습니다.")
        ]
        let missed = comparison.missed.map { r in
            w.say(
                "\(r.name) \(r.text(r.real)) here against \(r.text(r.simulated)) simulated",
                "\(koName(r.name)) 이 컴퓨터 \(koText(r, r.real)), 시뮬레이터 \(koText(r, r.simulated))")
        }
        if !missed.isEmpty {
            out.append(w.say("Off by more than 2×: ", "2배 넘게 차이 나는 값: ") + missed.joined(separator: "; ") + ".")
        }
        let differing = comparison.differing.map { b in
            w.say(
                "\(b.name): \(b.real) here, \(b.simulated) simulated",
                "\(koName(b.name)): 이 컴퓨터 \(koAnswer(b.real)), 시뮬레이터 \(koAnswer(b.simulated))")
        }
        if !differing.isEmpty {
            out.append(w.say("Behaviours that differ: ", "다르게 나온 동작: ") + differing.joined(separator: "; ") + ".")
        }
        if missed.isEmpty && differing.isEmpty {
            out.append(
                w.say(
                    "Every measure is within 2× and every behaviour alike: the simulator told this run well.",
                    "모든 측정값이 2배 안에 들고 동작도 모두 같습니다. 시뮬레이터가 이번 실행을 잘 그려 냈습니다."))
            return out
        }
        let (causes, unexplained) = causes(
            rows: comparison.rows, behaviours: comparison.behaviours, balloon: comparison.balloon,
            hogMib: comparison.hogMib, lang: lang)
        if !causes.isEmpty {
            out.append(w.say("Why, where the cause is known (`sim about`):", "알려진 원인 (`sim about` 참고):"))
            out += causes.map { "- " + $0 }
        }
        if !unexplained.isEmpty {
            out.append(
                w.say(
                    "No cause is known yet for: \(unexplained.joined(separator: ", ")).",
                    "다음 차이는 아직 원인을 모릅니다: \(unexplained.map(koName).joined(separator: ", "))."))
        }
        return out
    }

    /// The causes known for what differs, one each, and the missed measures and differing behaviours no cause
    /// covers.
    public static func causes(
        rows: [FidelityMeasures.Row], behaviours: [FidelityMeasures.Behaviour],
        balloon: (real: Int64, simulated: Int64)?, hogMib: (real: Int64, simulated: Int64)? = nil,
        lang: NarrativeLanguage
    ) -> (causes: [String], unexplained: [String]) {
        var list = CauseList(rows: rows, behaviours: behaviours, balloon: balloon, lang: lang)
        list.hogMib = hogMib
        workloadCauses(&list)
        mechanismCauses(&list)
        let unexplained = (list.missedRows.map(\.name) + behaviours.filter { !$0.matches }.map(\.name))
            .filter { !list.covered.contains($0) }
        return (list.out, unexplained)
    }

    /// Causes in what the simulated run was given or never sees: the balloon, refaults, the scan balance.
    static func workloadCauses(_ list: inout CauseList) {
        // LabPlan sizes the hog from each machine's own distance to its wake point.
        if let h = list.hogMib, abs(h.simulated - h.real) * 10 > Swift.max(h.real, h.simulated) {
            list.add(
                ["pswpout", "pswpin", "pgscan_kswapd", "pgsteal_kswapd", "swap-out while awake"], when: true,
                "the simulated lab sized its hog at \(h.simulated) MiB against \(h.real) MiB here (LabPlan measures "
                    + "each machine's own distance to its wake point): "
                    + (h.simulated > h.real ? "more" : "fewer") + " pages to place, to swap out and to read back",
                "시뮬레이터의 실습은 hog를 \(h.simulated) MiB로 잡았고 이 컴퓨터에서는 \(h.real) MiB였습니다"
                    + "(LabPlan은 각 컴퓨터에서 깨어나는 지점까지 남은 거리를 따로 잽니다). 그래서 자리를 찾고, "
                    + "swap으로 내보내고, 다시 읽어 들일 페이지가 " + (h.simulated > h.real ? "더 많았습니다" : "더 적었습니다"))
        }
        if let b = list.balloon, b.simulated < b.real {
            list.add(
                ["hog start → first wake", "lowest free", "lowest free's band"], when: true,
                "the simulated balloon held \(b.simulated) huge pages against \(b.real) here: it takes only free "
                    + "memory above low, where the kernel also reclaims and compacts for it, so the simulated hog "
                    + "started further from the wake point",
                "시뮬레이터의 balloon은 huge page를 \(b.simulated)개 잡았고 이 컴퓨터에서는 \(b.real)개를 "
                    + "잡았습니다. 시뮬레이터는 low 위의 여유 메모리에서만 가져오지만, 커널은 모자라면 회수와 "
                    + "compaction까지 해서 채웁니다. 그래서 시뮬레이터의 hog는 깨어나는 지점에서 더 먼 곳에서 "
                    + "시작했습니다")
        }
        // What the simulator's kswapd did less of: passes, else giving up sooner, else scanning.
        let passes = list.fewer("balance passes")
        let gaveUp = list.answers("gave up").map { $0 == ("no", "yes") } ?? false
        list.add(
            ["balance passes", "wake→sleep cycles", "pgscan_kswapd", "pgsteal_kswapd", "gave up", "kswapd awake"],
            when: passes || list.fewer("pgscan_kswapd") || gaveUp,
            "no refaults: the simulator never reads an evicted page back (its workingset_refault_file stays 0), "
                + "while this machine's other tasks read theirs back and the kernel reclaims those pages again; each "
                + "such small success resets kswapd_failures (shrink_node()), so kswapd goes round more often and "
                + "gives up later"
                + (passes
                    ? "; the simulator makes fewer kswapd passes"
                    : gaveUp ? "; the simulator's kswapd gave up sooner" : "; the simulator's kswapd scans less"),
            "refault가 없습니다. 시뮬레이터는 내보낸 페이지를 다시 읽어 들이지 않지만(workingset_refault_file이 "
                + "늘 0), 이 컴퓨터에서는 다른 task들이 자기 페이지를 다시 읽어 들이고 커널은 그 페이지를 또 "
                + "회수합니다. 이렇게 조금씩이라도 회수에 성공할 때마다 kswapd_failures가 0으로 돌아가므로"
                + "(shrink_node()), kswapd가 더 여러 번 돌고 더 늦게 포기합니다. 그래서 "
                + (passes
                    ? "시뮬레이터의 kswapd pass가 더 적습니다"
                    : gaveUp ? "시뮬레이터의 kswapd가 더 일찍 포기했습니다" : "시뮬레이터의 kswapd가 덜 훑습니다"))
        list.add(
            ["kswapd file share", "file > anon"], when: true,
            "the simulator's scan balance sees no workingset activations (workingset_activate_* stays 0). When "
                + "workingset_activate_file moved since the kernel's last reclaim, prepare_scan_control() ages the "
                + "active file list and leaves cache-trim mode; when workingset_activate_anon moved, it ages active "
                + "anon and file is never tiny. A machine that has been running usually finds both moved at its "
                + "first reclaim; the simulator's first pass instead trims page cache only, or scans anon only when "
                + "file is tiny",
            "시뮬레이터의 scan 균형은 workingset activation을 보지 못합니다(workingset_activate_*가 늘 0). "
                + "커널의 prepare_scan_control()은 지난 회수 이후 workingset_activate_file이 움직였으면 활성 file "
                + "목록을 비활성 쪽으로 내리고 cache-trim 모드를 쓰지 않으며, workingset_activate_anon이 "
                + "움직였으면 활성 anon 목록을 내리고 file이 적다고 보지 않습니다. 한동안 돌던 컴퓨터라면 첫 회수 "
                + "때 대개 둘 다 움직여 있습니다. 시뮬레이터의 첫 회수는 그 대신 페이지 캐시만 줄이거나, file이 "
                + "아주 적으면 anon만 훑습니다")
    }

    /// Causes in how the simulator carries reclaim out: when pages become free, direct reclaim's batches, the swap
    /// device, where pages land.
    static func mechanismCauses(_ list: inout CauseList) {
        list.add(
            ["lowest free", "lowest free's band", "kswapd awake"],
            when: list.swapped
                && (list.higher("lowest free") || list.higher("lowest free's band") || list.fewer("kswapd awake")),
            "kswapd frees on take: the simulator frees a page the moment reclaim takes it off the LRU, the kernel "
                + "frees a swapped page only when its write completes; simulated free climbs back sooner, dips less "
                + "deep, and kswapd sleeps sooner",
            "시뮬레이터는 회수가 페이지를 LRU에서 떼어 내는 순간 그 페이지를 free로 돌리지만, 커널은 swap으로 "
                + "나가는 페이지를 쓰기가 끝난 뒤에야 free로 돌립니다. 그래서 시뮬레이터의 여유 메모리는 더 빨리 "
                + "회복되고 덜 내려가며, kswapd도 더 일찍 잠듭니다")
        list.add(
            ["direct episodes", "allocstall", "pgscan_direct", "pgsteal_direct", "direct reclaim"], when: true,
            "the simulator carries out a task's direct reclaims within one step (1–20 ms) in one go and counts "
                + "them as the kernel's 32-page try_to_free_pages() calls (SWAP_CLUSTER_MAX); the kernel starts "
                + "each call at priority 12 again and scans more for it, and here other tasks reclaimed as well",
            "시뮬레이터는 한 task가 한 단계(1–20 ms) 안에 하는 direct reclaim을 한꺼번에 처리한 뒤, 커널의 "
                + "32페이지(SWAP_CLUSTER_MAX)짜리 try_to_free_pages() 호출로 나누어 셉니다. 커널은 호출마다 "
                + "priority 12부터 다시 시작하므로 더 많이 스캔하고, 이 컴퓨터에서는 다른 task도 회수했습니다")
        list.add(
            ["swap-out while awake"], when: list.deviceBound,
            "the simulator's one swap device writes at a fixed ~280 MiB/s and reads at ~340 MiB/s; this machine's "
                + "device sets the real rates",
            "시뮬레이터의 swap 장치는 하나이고, 쓰기 약 280 MiB/s, 읽기 약 340 MiB/s로 속도가 고정되어 "
                + "있습니다. 실제 속도는 이 컴퓨터의 장치가 정합니다")
        list.add(
            ["balanced zone"], when: list.answers("balanced zone").map { $0.0 != "none" && $0.1 != "none" } ?? false,
            "zone placement: the simulator fills the zones from the highest down and keeps only freed huge pages "
                + "on per-cpu lists, and no other task allocates in it; here the per-cpu lists, the buddy allocator "
                + "and the other tasks put pages elsewhere, so another zone was balanced when kswapd slept",
            "zone 배치가 다릅니다. 시뮬레이터는 가장 높은 zone부터 차례로 채우고, per-cpu 목록에는 풀려난 huge "
                + "page만 두며, 다른 task는 메모리를 할당하지 않습니다. 이 컴퓨터에서는 per-cpu 목록과 buddy "
                + "할당자, 다른 task들이 페이지를 다른 곳에 두므로, kswapd가 잠들 때 균형이 잡힌 zone이 달랐습니다")
    }

    /// What differs, and the causes found for it so far.
    struct CauseList {
        let w: ChartWords
        let rows: [FidelityMeasures.Row]
        let balloon: (real: Int64, simulated: Int64)?
        let behaviours: [FidelityMeasures.Behaviour]
        var hogMib: (real: Int64, simulated: Int64)?
        let missedRows: [FidelityMeasures.Row]
        let missed: Set<String>
        let differing: Set<String>
        var out: [String] = []
        var covered = Set<String>()

        init(
            rows: [FidelityMeasures.Row], behaviours: [FidelityMeasures.Behaviour],
            balloon: (real: Int64, simulated: Int64)?, lang: NarrativeLanguage
        ) {
            w = ChartWords(lang)
            self.rows = rows
            self.balloon = balloon
            self.behaviours = behaviours
            missedRows = rows.filter { $0.counts && !$0.within }
            missed = Set(missedRows.map(\.name))
            differing = Set(behaviours.filter { !$0.matches }.map(\.name))
        }

        /// Whether `name` missed with the simulator's value below the real one.
        func fewer(_ name: String) -> Bool {
            missedRows.contains { $0.name == name && ($0.simulated ?? 0) < ($0.real ?? 0) }
        }

        /// A behaviour's answers (this machine, simulator), nil when there is no such behaviour.
        func answers(_ name: String) -> (String, String)? {
            behaviours.first { $0.name == name }.map { ($0.real, $0.simulated) }
        }

        /// Whether `name` missed with the simulator's value above the real one (a band: higher in the simulator).
        func higher(_ name: String) -> Bool {
            missedRows.contains { $0.name == name && ($0.simulated ?? 0) > ($0.real ?? 0) }
        }

        func value(_ name: String) -> (real: Double, simulated: Double) {
            let r = rows.first { $0.name == name }
            return (r?.real ?? 0, r?.simulated ?? 0)
        }

        /// Whether either run swapped out.
        var swapped: Bool { value("pswpout").real > 0 || value("pswpout").simulated > 0 }
        /// The simulator's device runs at ~280 MiB/s: a rate near it on either side was set by the device.
        var deviceBound: Bool {
            Swift.max(value("swap-out while awake").real, value("swap-out while awake").simulated) >= 200
        }

        /// Adds the cause (in the list's language) when it applies and names something that differs.
        mutating func add(_ names: Set<String>, when applies: Bool, _ en: String, _ ko: String) {
            guard applies, !names.isDisjoint(with: missed.union(differing)) else { return }
            covered.formUnion(names)
            out.append(w.say(en, ko) + ".")
        }
    }

    /// A measure's or behaviour's name in Korean (counter names stay as the kernel spells them).
    static func koName(_ name: String) -> String {
        let names = [
            "hog start → first wake": "hog 시작부터 첫 깨어남까지", "wake→sleep cycles": "깨어남→잠듦 주기",
            "balance passes": "balance pass 횟수", "kswapd file share": "kswapd 회수 중 file 비율",
            "direct episodes": "direct reclaim 횟수", "lowest free": "가장 낮은 여유 메모리",
            "swap-out while awake": "깨어 있는 동안 swap-out 속도", "kswapd awake": "kswapd가 깨어 있던 시간",
            "OOM kills": "OOM kill 횟수", "lowest free's band": "가장 낮은 여유 메모리의 구간",
            "woke": "kswapd 깨어남", "slept": "kswapd 잠듦", "gave up": "kswapd 포기",
            "swapped": "swap 사용", "file > anon": "file 회수가 anon보다 많음",
            "balanced zone": "잠들 때 균형 잡힌 zone",
        ]
        return names[name] ?? name
    }

    /// A row's value in Korean units.
    static func koText(_ row: FidelityMeasures.Row, _ v: Double?) -> String {
        let t = row.text(v)
        return t.hasSuffix(" pages") ? String(t.dropLast(6)) + "페이지" : t == "—" ? "없음" : t
    }

    static func koAnswer(_ a: String) -> String { a == "yes" ? "예" : a == "no" ? "아니오" : a == "none" ? "없음" : a }
}
