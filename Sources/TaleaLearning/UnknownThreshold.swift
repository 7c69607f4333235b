/// Chooses the confidence below which a prediction is reported as unknown.
///
/// Neyman–Pearson style: among thresholds that reject at most `maxKnownRejection` of the rows that
/// belong to a known class, take the largest, which rejects as many out-of-repertory rows (negatives)
/// as that budget allows. Feed it calibrated top-class probabilities from held-out predictions.
public struct UnknownThresholdChoice: Codable, Equatable, Sendable {
    /// Predictions with calibrated confidence below this are unknown.
    public let threshold: Double
    /// Fraction of known-class rows that the threshold rejects.
    public let knownRejectedFraction: Double
    /// Fraction of negative rows that the threshold rejects (0 when there are none).
    public let negativeRejectedFraction: Double

    /// Picks the threshold.
    /// - Parameters:
    ///   - knownConfidences: top-class probabilities of held-out rows whose true class is modelled.
    ///   - negativeConfidences: top-class probabilities of held-out rows of no modelled class.
    ///   - maxKnownRejection: the largest tolerated fraction of known rows turned into unknown, in [0, 1).
    public init(knownConfidences: [Double], negativeConfidences: [Double], maxKnownRejection: Double = 0.01) throws {
        guard maxKnownRejection >= 0, maxKnownRejection < 1 else {
            throw LearningError.invalidParameter("maxKnownRejection must be in [0, 1) (got \(maxKnownRejection))")
        }
        let known = knownConfidences.filter(\.isFinite).sorted()
        guard !known.isEmpty else { throw LearningError.emptyData }
        // Rejecting means confidence < threshold, so threshold = the r-th smallest rejects at most r rows.
        let allowed = Int((maxKnownRejection * Double(known.count)).rounded(.down))
        let threshold = known[min(allowed, known.count - 1)]
        let negatives = negativeConfidences.filter(\.isFinite)
        self.threshold = threshold
        self.knownRejectedFraction = Double(known.filter { $0 < threshold }.count) / Double(known.count)
        self.negativeRejectedFraction = negatives.isEmpty ? 0
            : Double(negatives.filter { $0 < threshold }.count) / Double(negatives.count)
    }
}
