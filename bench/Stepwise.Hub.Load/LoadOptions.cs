using System.Globalization;

namespace Stepwise.Hub.Load;

/// <summary>Command line of the load generator: <c>key=value</c> words, plus <c>serve</c>.</summary>
internal sealed class LoadOptions
{
    public bool Serve { get; private set; }

    public int Clients { get; private set; } = 16;

    public int Values { get; private set; } = 20;

    public int Seconds { get; private set; } = 60;

    public string? Database { get; private set; }

    public string? DataDir { get; private set; }

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        foreach (var arg in args)
        {
            if (arg == "serve")
            {
                options.Serve = true;
                continue;
            }

            var parts = arg.Split('=', 2);
            if (parts.Length != 2)
            {
                throw new ArgumentException($"Expected key=value, got '{arg}'.");
            }

            switch (parts[0])
            {
                case "clients":
                    options.Clients = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                case "values":
                    options.Values = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                case "seconds":
                    options.Seconds = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                case "db":
                    options.Database = parts[1];
                    break;
                case "data_dir":
                    options.DataDir = parts[1];
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{parts[0]}' (clients, values, seconds, db, data_dir).");
            }
        }

        return options;
    }
}
