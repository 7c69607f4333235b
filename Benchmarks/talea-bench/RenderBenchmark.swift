import Foundation

// Placeholder until the owning issue lands; replaced, not extended.
func runRenderBenchmark(_ arguments: [String]) {
    print("not built yet")
}
