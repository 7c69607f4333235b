import Foundation

// Placeholder until the owning issue lands; replaced, not extended.
func runFeatureBenchmark(_ arguments: [String]) {
    print("not built yet")
}
