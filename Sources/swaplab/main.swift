import SwapLabREPL

SwapLabMain.main()
