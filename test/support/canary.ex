defmodule Lockstep.Canary do
  @moduledoc false
  # How long a call holds a normal scheduler, measured from the outside: a
  # separate VM (a `:peer` node with this project's code paths) with ONE
  # normal scheduler (`+S 1:1`) runs the call next to a "canary" process
  # that sleeps 1 ms in a loop. While the call holds the scheduler (a NIF, a
  # non-yielding BIF) the canary cannot run, so its worst lateness is the
  # longest hold. The wait in progress when the call returns counts too (a
  # hold just before the end would otherwise be missed). Dirty NIFs run on
  # dirty schedulers and do not hold the normal one.
  #
  # On a loaded machine the OS also stops the VM's scheduler thread now and
  # then, and stretches a hold by the time it is not running: neither is
  # the call's doing. Where Linux tells the scheduler thread's own CPU time
  # (/proc/self/task/<tid>/schedstat), a late wake-up counts as late by at
  # most the CPU time that thread spent meanwhile.
  #
  # `setup` and `call` are Elixir source strings: `setup` builds the values
  # (its binding is kept, e.g. `g = ...`), `call` is measured with that
  # binding (`G` is aliased to Lockstep.Generator in both).

  @doc """
  The longest hold (ms, float) of a normal scheduler by `call`, best of
  `runs` runs (the machine is shared: other processes' noise only adds
  lateness, so the best run is the closest to the call's own).
  """
  def hold_ms(setup, call, runs \\ 3) do
    with_peer(fn peer ->
      Enum.min(
        for _ <- 1..runs, do: :peer.call(peer, __MODULE__, :measure, [setup, call], 120_000)
      )
    end)
  end

  @doc """
  Several measurements in one peer: `[{setup, call}]` -> `[ms]` (best of
  `runs`). With `priority: :high` the canary runs at high priority: it then
  waits for no process's turn, only for a process to give the scheduler
  back (a NIF call, or a timeslice that its calls under-charged), so calls
  made by many busy processes at once can be measured.
  """
  def holds_ms(cases, runs \\ 3, opts \\ []) do
    priority = Keyword.get(opts, :priority, :normal)

    with_peer(fn peer ->
      for {setup, call} <- cases do
        Enum.min(
          for _ <- 1..runs,
              do: :peer.call(peer, __MODULE__, :measure, [setup, call, priority], 120_000)
        )
      end
    end)
  end

  defp with_peer(fun) do
    paths = Enum.flat_map(:code.get_path(), &[~c"-pa", &1])

    {:ok, peer, _node} =
      :peer.start_link(%{connection: :standard_io, args: [~c"+S", ~c"1:1" | paths]})

    try do
      fun.(peer)
    after
      :peer.stop(peer)
    end
  end

  @prelude "alias Lockstep.Generator, as: G\n"

  @doc false
  # Runs in the peer: evaluates `setup`, then measures `call` under the canary.
  def measure(setup, call, priority \\ :normal) do
    1 = :erlang.system_info(:schedulers_online)
    {:ok, _} = Application.ensure_all_started(:lockstep_generator)
    {_, binding} = Code.eval_string(@prelude <> setup)
    # Compiled once, outside the measurement.
    quoted = Code.string_to_quoted!(@prelude <> call)
    parent = self()

    cpu = scheduler_cpu()

    canary =
      spawn(fn ->
        Process.flag(:priority, priority)
        send(parent, :canary_started)
        canary_loop(parent, cpu, 0)
      end)

    receive do: (:canary_started -> :ok)
    Code.eval_quoted(quoted, binding)
    send(canary, :stop)

    receive do
      {:canary, worst_us} -> worst_us / 1000
    end
  end

  defp canary_loop(parent, cpu, worst) do
    t0 = System.monotonic_time(:microsecond)
    c0 = cpu.()

    receive do
      :stop ->
        # The wait in progress: late by however long it has been.
        send(parent, {:canary, max(worst, late(t0, c0, cpu))})
    after
      1 -> canary_loop(parent, cpu, max(worst, late(t0, c0, cpu)))
    end
  end

  # How late a 1 ms wait that began at t0 is: wall-clock, but at most the
  # scheduler thread's CPU time since (µs).
  defp late(t0, c0, cpu) do
    wall = System.monotonic_time(:microsecond) - t0 - 1000

    case cpu.() do
      nil -> wall
      c1 -> min(wall, c1 - c0)
    end
  end

  # A function giving the normal scheduler thread's CPU time (µs), or nil
  # where the OS does not tell it.
  defp scheduler_cpu do
    dir = "/proc/self/task"

    tid =
      with {:ok, tids} <- File.ls(dir) do
        Enum.find(tids, &(File.read(Path.join([dir, &1, "comm"])) == {:ok, "1_scheduler\n"}))
      end

    case tid do
      tid when is_binary(tid) ->
        path = String.to_charlist(Path.join([dir, tid, "schedstat"]))

        fn ->
          {:ok, stat} = :prim_file.read_file(path)
          [ns | _] = String.split(stat, " ")
          div(String.to_integer(ns), 1000)
        end

      _ ->
        fn -> nil end
    end
  end
end
