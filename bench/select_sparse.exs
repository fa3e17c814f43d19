# Cost per selected op of a sparse select/2 (every 2000th op of the child,
# 2,000 of them) against each/2 of the child itself, per op.
#
#   mix run bench/select_sparse.exs
alias Lockstep.Generator, as: G
alias Lockstep.Generator.Workloads

shapes = [
  {"random(4 ops)", fn -> G.random([:a, :b, :c, :d], seed: 1) end},
  {"register", fn -> Workloads.register(seed: 1) end},
  {"mix of 3",
   fn ->
     G.mix([G.random([:a, :b], seed: 1), G.cycle([:x, :y]), G.weighted([a: 1, b: 3], seed: 2)])
   end},
  {"zip of 3",
   fn ->
     G.zip([G.random([:a, :b], seed: 1), G.integers(1..100, seed: 2), G.counter(1)])
   end},
  {"map(register)", fn -> G.map(Workloads.register(seed: 1), &{:op, &1}) end}
]

indices = for i <- 0..1999, do: i * 2000
best = fn f -> Enum.min(for _ <- 1..3, do: elem(:timer.tc(f), 0)) end

for {name, make} <- shapes do
  sel = G.select(make.(), indices)
  us = best.(fn -> 2000 = G.each(sel, fn _ -> :ok end) end)
  plain = best.(fn -> 200_000 = G.each(G.take(make.(), 200_000), fn _ -> :ok end) end)

  dense =
    best.(fn -> 20_000 = G.each(G.select(make.(), Enum.to_list(0..19_999)), fn _ -> :ok end) end)

  IO.puts(
    "#{String.pad_trailing(name, 16)} sparse select: #{Float.round(us / 2000, 2)} us/selected op" <>
      "   dense select: #{Float.round(dense * 1000 / 20_000)} ns/op   each: #{Float.round(plain * 1000 / 200_000)} ns/op"
  )
end

try do
  nested = Enum.reduce(1..100_000, G.cycle([:x]), fn _, g -> G.select(g, [0, 1, 2, 3]) end)
  {us, _} = :timer.tc(fn -> Enum.take(nested, 3) end)
  IO.puts("100,000 nested selects: built; Enum.take(_, 3) #{div(us, 1000)} ms")
rescue
  e in ArgumentError -> IO.puts("100,000 nested selects: #{Exception.message(e)}")
end
