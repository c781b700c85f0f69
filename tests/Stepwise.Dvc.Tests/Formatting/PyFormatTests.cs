using Stepwise.Dvc.Formatting;

namespace Stepwise.Dvc.Tests.Formatting;

public sealed class PyFormatTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(1e-07, "1e-07")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.2345678901234568e17, "1.2345678901234568e+17")]
    [InlineData(1e22, "1e+22")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(123.456, "123.456")]
    [InlineData(-2.5e-10, "-2.5e-10")]
    [InlineData(1234567890123456.7, "1234567890123456.8")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Doubles_print_like_python_repr(double value, string expected) => Assert.Equal(expected, PyFormat.Double(value));

    [Fact]
    public void Singles_print_their_shortest_digits_and_widen_in_json()
    {
        Assert.Equal("0.1", PyFormat.Single(0.1f));
        Assert.Equal("1e-05", PyFormat.Single(1e-5f));
        Assert.Equal("0.10000000149011612", PyJson.Serialize(0.1f));
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.1234567, "0.123457")]
    [InlineData(0.2, "0.2")]
    [InlineData(1234567.0, "1.23457e+06")]
    [InlineData(0.00001234, "1.234e-05")]
    [InlineData(100000.0, "100000")]
    public void General_format_matches_python_g(double value, string expected) => Assert.Equal(expected, PyFormat.General(value));

    [Fact]
    public void Str_and_repr_follow_python()
    {
        Assert.Equal("True", PyFormat.Str(true));
        Assert.Equal("None", PyFormat.Str(null));
        Assert.Equal("2.0", PyFormat.Str(2.0));
        Assert.Equal("[32, 'a', {'k': 1.5}]", PyFormat.Repr(new List<object?> { 32, "a", new Dictionary<string, object?> { ["k"] = 1.5 } }));
        Assert.Equal("\"it's\"", PyFormat.Repr("it's"));
    }
}
