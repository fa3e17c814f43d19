# External size (`:erlang.external_size/1`, what term_to_binary and a send to
# another node carry) of generators fresh, after 65 next/1 (a buffered
# refill in them), and after compact/1 of that; the time to send 10,000 of
# the buffered ones to another process and back, and the same compacted.
#
#   mix run bench/sizes.exs
alias Lockstep.Generator, as: G
alias Lockstep.Generator.Workloads

shapes = [
  {"random(4 ops)", fn -> G.random([:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}], seed: 1) end},
  {"register", fn -> Workloads.register(seed: 1) end},
  {"zip of 3",
   fn ->
     G.zip([G.random([:a, :b], seed: 1), G.integers(1..100, seed: 2), G.counter(1)])
   end},
  {"mix of 3",
   fn ->
     G.mix([G.random([:a, :b], seed: 1), G.cycle([:x, :y]), G.weighted([a: 1, b: 3], seed: 2)])
   end},
  {"list_append(16)", fn -> Workloads.list_append(seed: 1, max_txn_length: 16) end},
  {"map(register)", fn -> G.map(Workloads.register(seed: 1), &{:op, &1}) end}
]

compact = if function_exported?(G, :compact, 1), do: &G.compact/1, else: nil

advance = fn gen -> Enum.reduce(1..65, gen, fn _, g -> elem(G.next(g), 1) end) end
kib = fn term -> Float.round(:erlang.external_size(term) / 1024, 1) end

send_all = fn gens ->
  parent = self()
  pid = spawn(fn -> receive do: ({:gens, gs} -> send(parent, {:back, gs})) end)

  {us, _} =
    :timer.tc(fn ->
      send(pid, {:gens, gens})
      receive do: ({:back, _} -> :ok)
    end)

  Float.round(us / 1000, 1)
end

IO.puts(
  "shape              fresh KiB   after 65 next/1   compacted   send 10k buffered / compacted (ms)"
)

for {name, make} <- shapes do
  fresh = make.()
  buffered = advance.(fresh)
  compacted = if compact, do: compact.(buffered), else: buffered
  if compact, do: true = Enum.take(buffered, 50) == Enum.take(compacted, 50)
  many = for i <- 1..10_000, do: advance.(G.fork(make.(), i))
  many_c = if compact, do: Enum.map(many, compact), else: many
  :erlang.garbage_collect()

  IO.puts(
    "#{String.pad_trailing(name, 18)} #{String.pad_leading("#{kib.(fresh)}", 9)}   " <>
      "#{String.pad_leading("#{kib.(buffered)}", 15)}   #{String.pad_leading("#{kib.(compacted)}", 9)}   " <>
      "#{send_all.(many)} / #{send_all.(many_c)}"
  )
end
