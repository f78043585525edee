/// `help`'s command list in Korean: each command's one-line abstract and each group's heading. A command's full
/// help (`help COMMAND`, `COMMAND --help`) comes from its ArgumentParser configuration and stays English.
enum KoreanHelp {
    /// The heading of `group`.
    static func heading(_ group: CommandGroup) -> String {
        switch group {
        case .shell: return "셸"
        case .look: return "메모리 보기"
        case .act: return "직접 움직여 보기"
        case .trace: return "추적과 설명"
        case .course: return "강의"
        case .system: return "이 컴퓨터"
        }
    }

    /// The abstract of every command `help` lists, by name.
    static let abstracts: [String: String] = [
        "help": "명령 목록을 보거나, 명령 하나의 도움말을 봅니다.",
        "engine": "다음 명령이 다룰 엔진을 고릅니다: 시뮬레이터(sim) 또는 이 컴퓨터의 커널(live).",
        "quit": "셸을 끝냅니다 (exit, Ctrl-D도 됩니다).",
        "sleep": "잠시 기다립니다 (예: sleep 2s, sleep 500ms). Ctrl-C로 멈춥니다.",
        "sim": "시뮬레이터에 대해: `sim about`은 무엇을 모델링하고 무엇을 단순화했는지 보여 줍니다.",
        "watermarks": "zone마다 free 페이지와 min/low/high 워터마크, kswapd가 깨어나는 지점을 보여 줍니다.",
        "chart": "여유 메모리를 min/low/high 워터마크와 함께 시간 순으로 그립니다. kswapd, direct reclaim, swap 줄도 함께 그립니다.",
        "watch": "여유 메모리, 워터마크, 회수 카운터, kswapd를 Ctrl-C를 누를 때까지 제자리에서 계속 새로 그립니다.",
        "status": "지금 머신 상태를 보여 줍니다: zone과 워터마크, kswapd, swap, task.",
        "vmstat": "/proc/vmstat 카운터와 마지막 mark 이후의 변화를 보여 줍니다.",
        "allocs": "메모리 hog 목록을 RSS, swap과 함께 보여 줍니다 (live: /proc/PID/status, sim: mlock까지).",
        "machine": "시뮬레이션 머신을 만듭니다: RAM 또는 zone, swap, 페이지 캐시, vm sysctl.",
        "alloc": "SIZE만큼 익명 메모리를 한 페이지도 빠짐없이 쓰는 task를 시작하고, 끝날 때까지 기다립니다.",
        "release": "alloc으로 시작한 task를 (또는 전부) 끝냅니다. 그 메모리는 해제됩니다.",
        "touch": "task가 모든 페이지를 다시 읽게 합니다 (swap된 페이지는 swap-in됩니다). 끝날 때까지 기다립니다.",
        "cache": "SIZE만큼 파일 데이터를 페이지 캐시로 읽습니다 (--dirty면 씁니다). --file이면 다시 읽을 수 있는 파일입니다. 끝날 때까지 기다립니다.",
        "run": "시뮬레이션 시간을 흘려보냅니다 (예: run 2s, run 500ms).",
        "mark": "타임라인에 표시를 남깁니다. vmstat은 마지막 표시 이후의 변화를 보여 줍니다.",
        "reset": "시뮬레이션 머신을 처음 만든 모습 그대로(sysctl 포함) 시간 0부터 다시 시작합니다.",
        "sysctl": "돌고 있는 시뮬레이션 머신의 vm sysctl을 읽거나 바꿉니다: sysctl vm.watermark_scale_factor 1000.",
        "lab": "kswapd가 깨어나 swap-out하고 잠들게 한 뒤 모두 되돌립니다 (sim: 시뮬레이션, live: 이 컴퓨터에서).",
        "explain": "kswapd, direct reclaim, swap, OOM killer가 한 일을 설명합니다 (이 타임라인 또는 trace 파일).",
        "record": "지금 타임라인(샘플, 이벤트, 표시)을 파일로 저장합니다. 어디서든 replay로 불러올 수 있습니다.",
        "replay": "저장한 기록을 불러와 chart, explain, watch가 읽게 합니다 (replay --off로 엔진으로 돌아갑니다).",
        "events": "trace를 trace_pipe 형식으로 출력합니다: 시뮬레이션의 trace, 또는 추적 중인 이 커널의 trace.",
        "trace": "이 커널의 회수 이벤트를 전용 tracefs 인스턴스에서 추적합니다 (on, off, show, stats).",
        "lessons": "강 목록을 진도와 함께 보여 줍니다. `lessons lint` / `lessons test [--live|--wrong] [ID]`로 강을 점검합니다.",
        "start": "번호나 id로 강을 시작합니다.",
        "next": "다음 단계로 넘어갑니다 (이 단계를 마친 뒤).",
        "back": "이전 단계로 돌아갑니다.",
        "goto": "번호나 id로 이 강의 다른 단계로 바로 갑니다.",
        "where": "강의에서 지금 어디쯤인지 보여 줍니다.",
        "hint": "이 단계의 다음 힌트를 보여 줍니다.",
        "solution": "이 단계의 풀이를 보여 줍니다 (먼저 물어봅니다).",
        "skip": "이 단계의 풀이를 실행하고, 건너뛴 단계로 표시합니다.",
        "check": "이 단계를 지금 확인하고, 무엇이 빠졌는지 알려 줍니다.",
        "retry": "이 단계를 다시 준비합니다 (준비 명령을 다시 실행합니다).",
        "play": "자유롭게 실험합니다. `resume`을 입력할 때까지 확인을 멈춥니다.",
        "resume": "play 모드에서 돌아오거나, 저장해 둔 강을 이어 합니다.",
        "lang": "강의 언어를 고릅니다: ko 또는 en.",
        "answer": "예측 문제에 번호로 답합니다.",
        "progress": "강의 진도를 보여 주거나, 내보내거나, 가져오거나, 지웁니다.",
        "course": "`course summary`: 한 일, 본 숫자, 이 컴퓨터에서 할 수 있는 live 단계를 보여 줍니다.",
        "doctor": "이 컴퓨터가 무엇을 허용하는지(root, tracefs, swap, MGLRU, lazy zone…)와 swaplab이 무엇을 할지 확인합니다.",
        "swap": "swap 장치와 사용량을 보여 줍니다. `swap on SIZE`는 swapfile을 추가하고, `swap off`는 지웁니다.",
        "restore": "중단된 swaplab이 남긴 것(sysctl, swapfile, tracefs 인스턴스, 마운트)을 되돌립니다.",
    ]
}
