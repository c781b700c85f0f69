// Marks the Stepwise.Hub.Server assembly; its public types live in the feature folders.
[assembly: System.CLSCompliant(false)]
