namespace Stepwise.Cli.Tests;

public sealed class CliArgumentsTests
{
    [Fact]
    public void Key_value_pairs_and_dashed_options_mean_the_same_thing()
    {
        var args = CliArguments.Parse(["extra", "epochs=3", "--batch", "64", "--data-dir=/tmp/d", "lr0=0.01", "--plots"]);

        Assert.Equal("3", args.Get("epochs"));
        Assert.Equal(64, args.GetInt("batch", 0));
        Assert.Equal("/tmp/d", args.Get("data_dir"));
        Assert.True(args.GetBool("plots", false));
        Assert.Equal(0.01, args.GetDouble("lr0", 0));
        Assert.Equal(["extra"], args.Positionals);
    }

    [Fact]
    public void A_key_given_twice_is_a_usage_error()
    {
        Assert.Throws<CliUsageException>(() => CliArguments.Parse(["epochs=3", "--epochs", "4"]));
    }

    [Fact]
    public void Wrong_types_name_the_argument()
    {
        var args = CliArguments.Parse(["epochs=three", "plots=maybe"]);
        Assert.Contains("epochs", Assert.Throws<CliUsageException>(() => args.GetInt("epochs", 1)).Message, StringComparison.Ordinal);
        Assert.Contains("plots", Assert.Throws<CliUsageException>(() => args.GetBool("plots", true)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_are_rejected_with_close_matches()
    {
        var args = CliArguments.Parse(["epohcs=3"]);
        var ex = Assert.Throws<CliUsageException>(() => args.RejectUnknown(["epochs", "batch"]));
        Assert.Contains("epochs", ex.Message, StringComparison.Ordinal);
    }
}
