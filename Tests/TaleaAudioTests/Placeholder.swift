// Placeholder: replaced by the target's real tests.
