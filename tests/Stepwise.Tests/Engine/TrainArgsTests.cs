using Stepwise.Engine;

namespace Stepwise.Tests.Engine;

public class TrainArgsTests
{
    [Fact]
    public void Defaults_resolve_every_key_and_overrides_are_typed()
    {
        var args = TrainArgs.Parse(new Dictionary<string, string> { ["epochs"] = "5", ["lr0"] = "0.02", ["cos_lr"] = "True", ["workers"] = "2", ["hidden"] = "64, 32" });
        Assert.Equal(5, args.Epochs);
        Assert.Equal(0.02, args.Lr0);
        Assert.True(args.CosLr);
        Assert.Equal(2, args.Threads);
        Assert.Equal([64, 32], args.Hidden);
        Assert.Equal(TrainArgs.Keys.Count, args.ToDictionary().Count);
        Assert.Equal("shapes", TrainArgs.Default.Data);
    }

    [Theory]
    [InlineData("epoch", "3", "Unknown argument 'epoch'. Did you mean epochs?")]
    [InlineData("epochs", "three", "Argument epochs=three: expected an integer.")]
    [InlineData("epochs", "0", "Argument epochs=0: must be at least 1.")]
    [InlineData("cos_lr", "maybe", "Argument cos_lr=maybe: expected true or false.")]
    [InlineData("optimizer", "Lion", "Argument optimizer=Lion: must be SGD, AdamW or auto.")]
    [InlineData("hidden", "64,x", "Argument hidden=64,x: expected positive integers separated by commas.")]
    public void Bad_arguments_are_errors_naming_the_key_and_value(string key, string value, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => TrainArgs.Parse(new Dictionary<string, string> { [key] = value }));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Ignored_keys_such_as_settings_pass_through()
    {
        var args = TrainArgs.Parse(new Dictionary<string, string> { ["dvc"] = "true" }, ["dvc"]);
        Assert.Equal(8, args.Epochs);
    }
}
