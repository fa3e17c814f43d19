defimpl Inspect, for: Lockstep.Generator do
  # Short, and enough to reproduce: kind, seed, stream (the fork key, or the
  # list of fork keys, oldest first; absent when not forked), position,
  # remaining:
  #   #Lockstep.Generator<random seed: 42 stream: 3 at: 17 remaining: 33>
  # is `random(ops, seed: 42) |> fork(3) |> drop(17)`, with 33 ops left.
  import Inspect.Algebra

  def inspect(%{kind: :mix} = gen, opts) do
    children = container_doc("[", gen.children, "]", opts, &@protocol.inspect/2, separator: ",")

    concat([
      "#Lockstep.Generator<mix",
      if(gen.engine == {:mix, :all}, do: " until: all", else: ""),
      " next_child: #{gen.next_child} remaining: #{gen.remaining} children: ",
      children,
      ">"
    ])
  end

  def inspect(%{kind: :cycle} = gen, _opts) do
    "#Lockstep.Generator<cycle ops: #{length(gen.ops)} at: #{@for.__position__(gen)} " <>
      "remaining: #{gen.remaining}>"
  end

  def inspect(gen, opts) do
    concat([
      "#Lockstep.Generator<#{gen.kind} seed: ",
      to_doc(gen.seed, opts),
      stream(elem(gen.engine, 4), opts),
      " at: #{@for.__position__(gen)} remaining: #{gen.remaining}>"
    ])
  end

  defp stream([], _opts), do: ""
  defp stream([key], opts), do: concat([" stream: ", to_doc(key, opts)])
  defp stream(keys, opts), do: concat([" stream: ", to_doc(Enum.reverse(keys), opts)])
end
