// Marks the Stepwise.Dvc assembly; its public types live in the feature folders.
[assembly: System.CLSCompliant(false)]
