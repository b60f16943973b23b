using System.Runtime.InteropServices;
using Cairn.Engine.Workspace;
using Cairn.Service.Api;
using Cairn.Service.Pipelines;
using Cairn.Service.Runs;
using Cairn.Service.Scheduling;
using Cairn.Service.Store;
using Cairn.Service.Triggers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Quartz;

namespace Cairn.Service.Hosting;

/// <summary>
/// The service's start: every argument, pipeline and schedule checked before anything starts (a problem is a usage
/// error, exit 2), the service lock and the scheduler database taken (a second service, or a database locked, damaged
/// or from a newer Cairn, exit 2), then the host: Kestrel, Quartz, the run queue and the landing-zone watchers, until
/// Ctrl+C or SIGTERM (exit 0). SIGHUP reads the pipeline files again.
/// </summary>
internal static class ServiceProgram
{
    public static async Task<int> Run(string[] args)
    {
        ServiceArguments arguments;
        IReadOnlyList<ServedPipeline> pipelines;
        try
        {
            arguments = ServiceArguments.Parse(args, Environment.GetEnvironmentVariable);
            pipelines = PipelineCatalog.Load(arguments);
        }
        catch (CairnUsageException e)
        {
            return Refuse(e.Message);
        }

        var token = Environment.GetEnvironmentVariable(ServiceArguments.TokenVariable);
        if (!arguments.ListensOnLoopbackOnly && string.IsNullOrEmpty(token))
        {
            return Refuse($"--urls={string.Join(';', arguments.Urls)} reaches beyond this machine: set {ServiceArguments.TokenVariable} to the bearer token every request must carry, or listen on 127.0.0.1 only.");
        }

        var state = new ServiceState(arguments, pipelines, ServiceState.HomeOf(arguments, pipelines));
        WorkspaceLock serviceLock;
        try
        {
            serviceLock = WorkspaceLock.Acquire(Path.Combine(state.StateFolder, "service.lock"), wait: false, say: _ => { }, CancellationToken.None);
        }
        catch (WorkspaceBusyException)
        {
            var holder = File.Exists(Path.Combine(state.StateFolder, "service.lock.holder")) ? File.ReadAllText(Path.Combine(state.StateFolder, "service.lock.holder")).Trim() : "another process";
            return Refuse($"Another Cairn service already serves {state.Home}: {holder}. Stop it first, or give this one another --workspace.");
        }

        using (serviceLock)
        {
            try
            {
                SchedulerDatabase.Migrate(state.SchedulerDatabase);
            }
            catch (SchedulerStoreException e)
            {
                return Refuse(e.Message);
            }

            await using var app = Build(state, token);
            using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                _ = ReloadOnSignal(app.Services);
            });
            await app.StartAsync();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cairn.Service").LogInformation(
                "Cairn service listening on {Addresses}: pipelines {Pipelines}; workspace {Home}; Ctrl+C stops it",
                string.Join(", ", addresses),
                string.Join(", ", pipelines.Select(p => p.Name)),
                state.Home);
            await app.WaitForShutdownAsync();
            return 0;
        }
    }

    private static int Refuse(string message)
    {
        Console.Error.WriteLine(message);
        return CairnUsageException.ExitCode;
    }

    private static async Task ReloadOnSignal(IServiceProvider services)
    {
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Cairn.Service");
        try
        {
            log.LogInformation("SIGHUP: reading the pipeline files again");
            await services.GetRequiredService<ScheduleService>().Reload(CancellationToken.None);
        }
        catch (CairnUsageException e)
        {
            log.LogError("SIGHUP: nothing changed: {Problem}", e.Message);
        }
    }

    private static WebApplication Build(ServiceState state, string? token)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = state.Home, Args = [] });
        builder.WebHost.UseUrls([.. state.Arguments.Urls]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.ColorBehavior = Console.IsOutputRedirected ? LoggerColorBehavior.Disabled : LoggerColorBehavior.Default;
        });
        builder.Logging.AddProvider(new FileLoggerProvider(state.LogFile));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new RunStore(state.SchedulerDatabase, TimeProvider.System));
        builder.Services.AddSingleton<EventHub>();
        builder.Services.AddSingleton<RunQueue>();
        builder.Services.AddSingleton<RunLogs>();
        builder.Services.AddSingleton<PipelineRunner>();
        builder.Services.AddSingleton<PermanentFailureNotice>();
        builder.Services.AddTransient<ScheduleFiredJob>();
        builder.Services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                store.UseSqlite(SchedulerDatabase.ConnectionString(state.SchedulerDatabase));
                store.ConfigureStore(o => o.SchemaProvisioning = SchemaProvisioning.Validate);
            });
        });
        builder.Services.AddSingleton<ScheduleService>();
        builder.Services.AddHostedService(s => s.GetRequiredService<ScheduleService>());
        builder.Services.AddHostedService<RunDispatcher>();
        builder.Services.AddHostedService<ArrivalTriggers>();
        builder.Services.AddHostedService<RunLogWarmup>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (token is { Length: > 0 } && !state.Arguments.ListensOnLoopbackOnly)
        {
            var bearer = new BearerToken(token);
            app.Use((context, next) => bearer.Check(context, next));
        }

        ApiEndpoints.Map(app);
        app.MapFallback((HttpContext context) => Problems.NotFound($"{context.Request.Method} {context.Request.Path} is not an endpoint; GET /openapi.json lists them."));
        return app;
    }
}
