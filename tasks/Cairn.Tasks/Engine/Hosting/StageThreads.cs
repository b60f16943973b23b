using System.Globalization;

namespace Cairn.Engine.Hosting;

/// <summary>
/// Dedicated threads that run stage tasks' <c>Execute</c>, kept and reused from cell to cell. A task runs on a thread
/// of its own (not the caller's) so that a timeout or a cancellation can give up on a task that does not stop; a new
/// thread per cell, though, costs a dozen system calls and a stack each time, thousands of times in a full run. A
/// thread whose task was given up on stays busy until that task ends (other threads serve the next cells), then is
/// idle again.
/// </summary>
internal sealed class StageThreads
{
    private readonly Stack<Worker> _idle = new();

    /// <summary>The threads of this process: stage tasks of every run in it share them.</summary>
    public static StageThreads Shared { get; } = new();

    /// <summary>Starts <paramref name="execute"/> on an idle stage thread (a new one when none is idle).</summary>
    /// <param name="execute">The task's work.</param>
    /// <param name="ended">Set once the returned task has completed, for a caller that waits for it without spinning.</param>
    /// <returns>Completes with the result or the exception of <paramref name="execute"/>.</returns>
    public Task<bool> Start(Func<bool> execute, ManualResetEventSlim? ended = null)
    {
        Worker? worker = null;
        lock (_idle)
        {
            if (_idle.Count > 0)
            {
                worker = _idle.Pop();
            }
        }

        return (worker ?? new Worker(this)).Run(execute, ended);
    }

    private void Return(Worker worker)
    {
        lock (_idle)
        {
            _idle.Push(worker);
        }
    }

    private sealed class Worker
    {
        private readonly StageThreads _owner;
        private readonly object _gate = new();
        private readonly CultureInfo _culture;
        private readonly CultureInfo _uiCulture;
        private Func<bool>? _execute;
        private ExecutionContext? _context;
        private TaskCompletionSource<bool>? _completion;
        private ManualResetEventSlim? _ended;

        public Worker(StageThreads owner)
        {
            _owner = owner;
            _culture = CultureInfo.CurrentCulture;
            _uiCulture = CultureInfo.CurrentUICulture;
            var thread = new Thread(Loop) { IsBackground = true, Name = "Cairn stage" };
            thread.Start();
        }

        public Task<bool> Run(Func<bool> execute, ManualResetEventSlim? ended)
        {
            var completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _execute = execute;
                _context = ExecutionContext.Capture();
                _completion = completion;
                _ended = ended;
                Monitor.Pulse(_gate);
            }

            return completion.Task;
        }

        private void Loop()
        {
            while (true)
            {
                Func<bool> execute;
                ExecutionContext? context;
                TaskCompletionSource<bool> completion;
                ManualResetEventSlim? ended;
                lock (_gate)
                {
                    while (_execute is null)
                    {
                        Monitor.Wait(_gate);
                    }

                    execute = _execute;
                    context = _context;
                    completion = _completion!;
                    ended = _ended;
                    _execute = null;
                    _context = null;
                    _completion = null;
                    _ended = null;
                }

                bool result;
                Exception? failure = null;
                try
                {
                    result = context is null ? execute() : RunIn(context, execute);
                }
                catch (Exception e)
                {
                    // Not swallowed: handed to the waiting engine, which reports it as the stage's failure.
                    result = false;
                    failure = e;
                }

                // Whatever the task did to this thread's culture, the next task starts as a new thread would.
                CultureInfo.CurrentCulture = _culture;
                CultureInfo.CurrentUICulture = _uiCulture;

                // Back among the idle before the waiter learns the result, so the next cell finds this thread free.
                _owner.Return(this);
                if (failure is null)
                {
                    completion.SetResult(result);
                }
                else
                {
                    completion.SetException(failure);
                }

                ended?.Set();
            }
        }

        private static bool RunIn(ExecutionContext context, Func<bool> execute)
        {
            var result = false;
            ExecutionContext.Run(context, _ => result = execute(), null);
            return result;
        }
    }
}
