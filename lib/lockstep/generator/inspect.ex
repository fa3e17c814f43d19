defimpl Inspect, for: Lockstep.Generator do
  # Short, and enough to reproduce: kind, seed, stream (the fork key, or the
  # list of fork keys, oldest first; absent when not forked), position,
  # remaining:
  #   #Lockstep.Generator<random seed: 42 stream: 3 at: 17 remaining: 33>
  # is `random(ops, seed: 42) |> fork(3) |> drop(17)`, with 33 ops left.
  import Inspect.Algebra

  alias Lockstep.Generator.{Node, Params}

  #
  # Inside a composite, children leave out `remaining: infinity` (the default)
  # to keep nested generators short.

  # select/2: `#Lockstep.Generator<select indices: [...] of: CHILD>`.
  def inspect(%{kind: :select} = gen, opts), do: Lockstep.Generator.Select.inspect_doc(gen, opts)

  def inspect(%{children: [_ | _]} = gen, opts) do
    child_opts = %{opts | custom_options: Keyword.put(opts.custom_options, :lockstep_child, true)}

    children =
      container_doc("[", gen.children, "]", child_opts, &@protocol.inspect/2, separator: ",")

    concat([
      "#Lockstep.Generator<#{gen.kind}",
      composite(gen, opts),
      remaining(gen, opts),
      " children: ",
      children,
      ">"
    ])
  end

  # independent/2: its options (as given), its share after split/2, the
  # template.
  def inspect(%{kind: :independent, engine: e} = gen, opts) do
    child_opts = %{opts | custom_options: Keyword.put(opts.custom_options, :lockstep_child, true)}
    lopts = %{opts | charlists: :as_lists}

    share =
      if e.groups == 1 and e.lanes == 1,
        do: "",
        else: " group: #{e.group} of #{e.groups} member: #{e.member}"

    concat([
      "#Lockstep.Generator<independent keys: ",
      keys_doc(e.keys, lopts),
      " per_key: #{e.per_key} concurrency: #{e.concurrency}",
      if(e.final == [], do: "", else: concat([" final: ", to_doc(e.final, lopts)])),
      share,
      " at: #{Node.position(gen)}",
      remaining(gen, opts),
      " template: ",
      @protocol.inspect(e.template, child_opts),
      ">"
    ])
  end

  def inspect(%{kind: :cycle} = gen, opts) do
    "#Lockstep.Generator<cycle ops: #{length(gen.ops)} at: #{Node.position(gen)}" <>
      remaining(gen, opts) <> ">"
  end

  # A split counter shows its share: op i is start + i·workers + worker.
  def inspect(%{kind: :counter, engine: %{params: %Params.Counter{} = params}} = gen, opts) do
    %Params.Counter{start: start, workers: ws, worker: w} = params
    share = if ws == 1, do: "", else: " workers: #{ws} worker: #{w}"

    "#Lockstep.Generator<counter start: #{start}#{share} at: #{Node.position(gen)}" <>
      remaining(gen, opts) <> ">"
  end

  def inspect(gen, opts) do
    concat([
      "#Lockstep.Generator<#{gen.kind} seed: ",
      to_doc(gen.seed, opts),
      stream(gen.engine.forks, opts),
      options(gen, opts),
      " at: #{Node.position(gen)}",
      remaining(gen, opts),
      ">"
    ])
  end

  # Every option that changes the stream and is not the default (as
  # recipe/1 writes it): register `values:`/`mix:`, bank `accounts:`/
  # `max_transfer:`, list_append `keys:`/`max_txn_length:`/`key_dist:`/
  # `mix:` and its share of the values (`workers:`/`worker:`), weights,
  # the range of integers/2, zipf's n and skew.
  defp options(gen, opts) do
    opts = %{opts | charlists: :as_lists}

    gen
    |> Lockstep.Generator.Recipe.leaf_options()
    |> Enum.map(fn {key, value} -> concat([" #{key}: ", to_doc(value, opts)]) end)
    |> concat()
  end

  defp remaining(%{remaining: :infinity}, opts) do
    if opts.custom_options[:lockstep_child], do: "", else: " remaining: infinity"
  end

  defp remaining(%{remaining: n}, _opts), do: " remaining: #{n}"

  defp composite(%{engine: %{strategy: :round_robin, until: until}} = gen, _opts),
    do: until_doc(until) <> " next_child: #{gen.next_child}"

  defp composite(%{engine: %{strategy: :concat}} = gen, _opts),
    do: " next_child: #{gen.next_child}"

  # A buffered random mix is shown at its exact position: its own op index
  # at the last refill plus the ops popped since.
  defp composite(%{engine: %{strategy: :random, until: until} = e} = gen, opts) do
    at = if e.frontier == nil, do: e.rpos, else: e.rpos + e.refilled - Node.buffered(gen)

    weights =
      if gen.weights,
        do: concat([" weights: ", to_doc(gen.weights, %{opts | charlists: :as_lists})]),
        else: ""

    concat([
      " random seed: ",
      to_doc(gen.seed, opts),
      stream(e.forks, opts),
      weights,
      " at: #{at}",
      until_doc(until)
    ])
  end

  # A combinator of its own file (Lockstep.Generator.Combinators): the
  # settings it shows.
  defp composite(%{engine: %{strategy: %mod{} = settings}}, opts) do
    opts = %{opts | charlists: :as_lists}

    settings
    |> mod.inspect_fields()
    |> Enum.map(fn {key, value} -> concat([" #{key}: ", to_doc(value, opts)]) end)
    |> concat()
  end

  defp composite(_gen, _opts), do: ""

  defp keys_doc(:infinity, _opts), do: "infinity"
  defp keys_doc(%Range{} = keys, opts), do: to_doc(keys, opts)
  defp keys_doc(keys, opts) when length(keys) <= 8, do: to_doc(keys, opts)
  defp keys_doc(keys, opts), do: concat(["#{length(keys)} keys from ", to_doc(hd(keys), opts)])

  defp until_doc(:all), do: " until: all"
  defp until_doc(:any), do: ""

  defp stream([], _opts), do: ""
  defp stream([key], opts), do: concat([" stream: ", to_doc(key, opts)])
  # A fork path reads oldest first, joined by "/" (a single key that is a list
  # still prints as a list, so the two never look alike).
  defp stream(keys, opts) do
    path = keys |> Enum.reverse() |> Enum.map(&to_doc(&1, opts)) |> Enum.intersperse("/")
    concat([" stream: " | path])
  end
end
