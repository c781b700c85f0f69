using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Stepwise.Dvc.Tests.Support;

/// <summary>A loopback HTTP endpoint that records Studio posts and answers with a chosen status.</summary>
internal sealed class StudioServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly List<JsonObject> _events = [];

    public StudioServer(Func<JsonObject, HttpStatusCode>? respond = null)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
                var record = new JsonObject
                {
                    ["path"] = context.Request.Url!.AbsolutePath,
                    ["headers"] = new JsonObject
                    {
                        ["Content-type"] = context.Request.Headers["Content-Type"],
                        ["Authorization"] = context.Request.Headers["Authorization"],
                    },
                    ["body"] = body,
                };
                lock (_gate)
                {
                    _events.Add(record);
                }

                context.Response.StatusCode = (int)(respond?.Invoke(body) ?? HttpStatusCode.OK);
                await context.Response.OutputStream.WriteAsync("{}"u8.ToArray());
                context.Response.Close();
            }
        });
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public List<JsonObject> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
