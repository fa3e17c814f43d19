# Collisions among 10^6 seeds / fork keys of each term family (maps inside
# included), reduced by Lockstep.Generator.Seed.key/1 (docs/STREAM.md,
# section 1). Equal keys <=> equal streams; with 64 bits, 10^6 terms collide
# with probability ~2.7e-8, so any collision is a defect.
#
#   mix run bench/seed_collisions.exs [n]      (n defaults to 1_000_000)
alias Lockstep.Generator.Seed

n = System.argv() |> List.first("1000000") |> String.to_integer()
workers = 10

families = [
  {"%{i => :w}", fn i -> %{i => :w} end},
  {"%{iter: i, worker: w}", fn i -> %{iter: div(i, workers), worker: rem(i, workers)} end},
  {"{:run, %{id: i}}", fn i -> {:run, %{id: i}} end},
  {"[%{k: i}]", fn i -> [%{k: i}] end},
  {"{i, w} (tuple, for scale)", fn i -> {div(i, workers), rem(i, workers)} end}
]

for {name, make} <- families do
  {us, keys} = :timer.tc(fn -> for i <- 0..(n - 1), do: Seed.key(make.(i)) end)
  collisions = n - map_size(Map.new(keys, &{&1, true}))

  IO.puts(
    "#{String.pad_trailing(name, 28)} #{n} terms: #{collisions} colliding pairs " <>
      "(#{Float.round(us / n, 2)} us/key)"
  )
end
