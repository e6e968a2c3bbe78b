// One test class at a time: each starts its own app and Chromium, and on a two-core machine two
// classes side by side take longer in all than one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
