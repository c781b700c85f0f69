using Stepwise.Dvc.Formatting;

namespace Stepwise.Dvc.Tests.Formatting;

public sealed class RuamelYamlTests
{
    private static string One(object? value) => RuamelYaml.SerializeMapping(new OrderedDictionary<string, object?> { ["k"] = value });

    [Theory]
    [InlineData("adam", "k: adam\n")]
    [InlineData("1.0", "k: '1.0'\n")]
    [InlineData("007", "k: '007'\n")]
    [InlineData("true", "k: 'true'\n")]
    [InlineData("null", "k: 'null'\n")]
    [InlineData("2024-01-01", "k: '2024-01-01'\n")]
    [InlineData("a: b # c", "k: 'a: b # c'\n")]
    [InlineData(" x", "k: ' x'\n")]
    [InlineData("", "k: ''\n")]
    [InlineData("a\nb", "k: \"a\\nb\"\n")]
    [InlineData("it's", "k: it's\n")]
    [InlineData("'quoted", "k: \"'quoted\"\n")]
    [InlineData("yes", "k: yes\n")]
    [InlineData("off", "k: off\n")]
    [InlineData("tab\there", "k: \"tab\\there\"\n")]
    [InlineData("héllo", "k: héllo\n")]
    [InlineData("-x", "k: -x\n")]
    [InlineData("- x", "k: '- x'\n")]
    [InlineData("1e5", "k: '1e5'\n")]
    public void Strings_are_quoted_only_when_needed(string value, string expected) => Assert.Equal(expected, One(value));

    [Fact]
    public void Scalars_use_ruamel_representations()
    {
        Assert.Equal("k:\n", One(null));
        Assert.Equal("k: 1e-07\n", One(1e-7));
        Assert.Equal("k: .nan\n", One(double.NaN));
        Assert.Equal("k: -.inf\n", One(double.NegativeInfinity));
        Assert.Equal("k: false\n", One(false));
        Assert.Equal("k: []\n", One(new List<object?>()));
        Assert.Equal("k: {}\n", One(new OrderedDictionary<string, object?>()));
    }

    [Fact]
    public void Nested_sequences_and_mappings_use_the_round_trip_layout()
    {
        var value = new List<object?>
        {
            new List<object?> { 1, 2 },
            null,
            new OrderedDictionary<string, object?> { ["a"] = new List<object?> { "x" }, ["b"] = new OrderedDictionary<string, object?> { ["c"] = 1 } },
        };
        Assert.Equal("k:\n- - 1\n  - 2\n-\n- a:\n  - x\n  b:\n    c: 1\n", One(value));
    }

    [Fact]
    public void Long_plain_strings_fold_at_column_80()
    {
        var words = string.Join(' ', Enumerable.Repeat("word", 30));
        var text = One(words);
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length > 1);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("  word", l, StringComparison.Ordinal));
        Assert.Equal(words, (string?)((IDictionary<string, object?>)YamlValues.Load(text)!)["k"]);
    }

    [Fact]
    public void Every_quoted_form_reads_back_as_the_same_string()
    {
        foreach (var s in new[] { "1.0", "a: b # c", "a\nb", "'q", " lead", "trail ", "tab\t", "x \"y\" z", "#c", "[a]", "{b}", "*ref", "&a", "!t", "%p", "@a", "`b", "~", "" })
        {
            var text = One(s);
            Assert.Equal(s, (string?)((IDictionary<string, object?>)YamlValues.Load(text)!)["k"]);
        }
    }
}
