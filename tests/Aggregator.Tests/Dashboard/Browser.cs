using Microsoft.Playwright;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Dashboard;

/// <summary>
/// Debian's Chromium (deploy/install-tools.sh installs it) driven by Microsoft.Playwright through ExecutablePath: the
/// package's own driver, no browser download, nothing fetched from the internet (the flags keep Chromium's background
/// connections off, which this machine's closed network would refuse). One browser per test class.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Instance { get; private set; } = null!;

    /// <summary>Where the tests write their screenshots (README "Dashboard").</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepoPaths.Root, "artifacts", "dashboard-screenshots");

    public async Task InitializeAsync()
    {
        var chromium = RepoPaths.FindExecutable("chromium", "/usr/bin")
            ?? throw new ToolMissingException("chromium", "chromium on PATH and /usr/bin", "apt-get install -y chromium (deploy/install-tools.sh as root)");
        _playwright = await Playwright.CreateAsync();
        Instance = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            ChromiumSandbox = false,
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A new page that records console errors, uncaught exceptions and failed requests.</summary>
    public async Task<(IPage Page, List<string> Errors)> OpenAsync(bool javaScript = true, int width = 1280)
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions
        {
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                lock (errors)
                {
                    errors.Add($"console {message.Type}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add($"page error: {error}");
            }
        };
        page.RequestFailed += (_, request) =>
        {
            // The event stream is cut when the page closes or navigates; that is not an error of the page.
            if (!request.Url.EndsWith("/dashboard/events", StringComparison.Ordinal))
            {
                lock (errors)
                {
                    errors.Add($"request failed: {request.Url} {request.Failure}");
                }
            }
        };
        return (page, errors);
    }

    public async Task DisposeAsync()
    {
        if (Instance is not null)
        {
            await Instance.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
