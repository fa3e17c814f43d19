# Sharing a mid-stream value of a wide tree: what next/1 costs its owner,
# a holder of the same value whose cursor has moved on, and 200 processes
# holding it at once, while a probe times a trivial dirty NIF call and a
# 1 ms sleep in other processes.
#
#   mix run bench/shared_wide.exs [leaves] [ops per holder] [holders]
#
# Defaults: a mix of 100,000 seeded random leaves, 4,096 ops per holder, 200
# holders. The owner's per-op cost is measured after its first next/1 (which
# builds the plan); a holder's includes everything it does, its first refill
# too. "cpu/op" for the 200 is their wall time times the schedulers, over
# all their ops.
#
# Measured on the 2-core test machine, shared with other developers' builds
# and tests (load 2-11: noisy), before (047a693) / after:
#
#   owner, per op after its first next/1     3.1-7.8 us   /  2.0-2.9 us
#   holder whose cursor moved on, per op     41-83 us     /  3.1-6.8 us
#   200 holders at once, total               47-130 s     /  14-89 s
#     worst trivial dirty NIF call           4.6-14.8 s   /  0.26-1.1 s
#     worst lateness of a 1 ms sleep         0.7-10.1 s   /  0.26-1.7 s
#   200 processes only copying the value     5-20 s (56 MB each), both
#   200 holders, value not copied            25.4 s, 61.9 us/op  /  0.87-1.66 s, 2.1-4.1 us/op
#     worst trivial dirty NIF call           3.2 s        /  0.22-0.87 s
#     worst lateness of a 1 ms sleep         214 ms       /  15-580 ms
#
# The 200-holder figures with copies are dominated by the value's size:
# each process gets its own 56 MB copy (and collects it), which no cursor
# avoids. What is left of the dirty waits: each refill of a 100k-leaf tree
# is a dirty call of ~1-2 ms, about 0.9 ms of it even for one op (the
# call reads the 100k-element pools tuple), and 200 of them queue.
alias Lockstep.Generator, as: G
alias Lockstep.Generator.Native

defmodule SharedWide do
  def pull(gen, 0), do: gen

  def pull(gen, n) do
    {_op, gen} = G.next(gen)
    pull(gen, n - 1)
  end

  def us(f) do
    {t, v} = :timer.tc(f)
    {t, v}
  end

  # Worst time of a trivial dirty NIF call, called every ms until told to stop.
  def dirty_probe(parent, worst \\ 0) do
    receive do
      :stop -> send(parent, {:dirty, worst})
    after
      1 ->
        {t, _} = :timer.tc(fn -> Native.call_dirty({:fork_stream, 1, {2, 3}}) end)
        dirty_probe(parent, max(worst, t))
    end
  end

  # Worst lateness of a 1 ms sleep (the one in progress when stopped counts).
  def sleeper(parent, worst \\ 0) do
    t0 = System.monotonic_time(:microsecond)

    receive do
      :stop ->
        late = System.monotonic_time(:microsecond) - t0 - 1000
        send(parent, {:sleep, max(worst, late)})
    after
      1 ->
        late = System.monotonic_time(:microsecond) - t0 - 1000
        sleeper(parent, max(worst, late))
    end
  end
end

[leaves, n, holders] =
  case System.argv() do
    [] -> [100_000, 4096, 200]
    args -> Enum.map(args, &String.to_integer/1) ++ Enum.drop([100_000, 4096, 200], length(args))
  end

gen = G.mix(for i <- 1..leaves, do: G.random([i, -i, {:w, i}], seed: i))
{first, {_op, owner}} = SharedWide.us(fn -> G.next(gen) end)
# A mid-stream value: some ops into its second refill.
shared = SharedWide.pull(owner, 100)

# The owner goes on from it (its cursor is its own)...
{t_owner, _} = SharedWide.us(fn -> SharedWide.pull(shared, n) end)
# ...so the same value in another hand finds the cursor moved on.
{t_holder, _} = SharedWide.us(fn -> SharedWide.pull(shared, n) end)

IO.puts("mix of #{leaves} leaves, #{n} ops per holder, #{holders} holders")
IO.puts("first next/1: #{Float.round(first / 1000, 1)} ms")
IO.puts("owner:  #{Float.round(t_owner / n, 2)} us/op")
IO.puts("holder: #{Float.round(t_holder / n, 2)} us/op")

# The floor: as many processes that only get the value (copied into each
# process's heap, as any term sent or captured is) and do nothing with it.
{t_floor, _} =
  SharedWide.us(fn ->
    1..holders
    |> Enum.map(fn _ -> Task.async(fn -> map_size(shared) end) end)
    |> Task.await_many(:infinity)
  end)

IO.puts(
  "#{holders} processes only copying the value: #{Float.round(t_floor / 1_000_000, 2)} s " <>
    "(#{div(:erts_debug.flat_size(shared) * 8, 1_000_000)} MB each)"
)

parent = self()
probe = spawn(fn -> SharedWide.dirty_probe(parent) end)
sleeper = spawn(fn -> SharedWide.sleeper(parent) end)
Process.sleep(20)

{t_all, _} =
  SharedWide.us(fn ->
    1..holders
    |> Enum.map(fn _ -> Task.async(fn -> SharedWide.pull(shared, n) end) end)
    |> Task.await_many(:infinity)
  end)

send(probe, :stop)
send(sleeper, :stop)
dirty = receive do: ({:dirty, w} -> w)
sleep = receive do: ({:sleep, w} -> w)
cores = :erlang.system_info(:schedulers_online)

IO.puts(
  "#{holders} holders: #{Float.round(t_all / 1_000_000, 2)} s total, " <>
    "#{Float.round(t_all * cores / (holders * n), 2)} cpu us/op; " <>
    "dirty call worst #{Float.round(dirty / 1000, 1)} ms; " <>
    "1 ms sleep worst late #{Float.round(sleep / 1000, 1)} ms"
)

# The same without the copies: the value read from :persistent_term (a
# literal: not copied into the holders' heaps, nor collected with them).
:persistent_term.put(SharedWide, shared)
probe = spawn(fn -> SharedWide.dirty_probe(parent) end)
sleeper = spawn(fn -> SharedWide.sleeper(parent) end)
Process.sleep(20)

{t_lit, _} =
  SharedWide.us(fn ->
    1..holders
    |> Enum.map(fn _ ->
      Task.async(fn -> SharedWide.pull(:persistent_term.get(SharedWide), n) end)
    end)
    |> Task.await_many(:infinity)
  end)

send(probe, :stop)
send(sleeper, :stop)
dirty = receive do: ({:dirty, w} -> w)
sleep = receive do: ({:sleep, w} -> w)

IO.puts(
  "#{holders} holders, value not copied: #{Float.round(t_lit / 1_000_000, 2)} s total, " <>
    "#{Float.round(t_lit * cores / (holders * n), 2)} cpu us/op; " <>
    "dirty call worst #{Float.round(dirty / 1000, 1)} ms; " <>
    "1 ms sleep worst late #{Float.round(sleep / 1000, 1)} ms"
)
