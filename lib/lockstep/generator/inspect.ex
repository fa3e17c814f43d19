defimpl Inspect, for: Lockstep.Generator do
  # Short, and enough to reproduce: kind, seed, stream, position, remaining.
  #   #Lockstep.Generator<random seed: 42 stream: 0 at: 17 remaining: 33>
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
    "#Lockstep.Generator<cycle ops: #{length(gen.ops)} at: #{@for.__position__(gen)} remaining: #{gen.remaining}>"
  end

  def inspect(gen, opts) do
    concat([
      "#Lockstep.Generator<#{gen.kind} seed: ",
      to_doc(gen.seed, opts),
      " stream: #{elem(gen.engine, 2)} at: #{@for.__position__(gen)} remaining: #{gen.remaining}>"
    ])
  end
end
