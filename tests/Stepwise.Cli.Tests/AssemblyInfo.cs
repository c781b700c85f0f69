// CLI tests start processes that share the build output; running them one class at a time keeps
// the 2-core CI machine responsive.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
