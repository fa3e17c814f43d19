defmodule Lockstep.Generator.Shrink do
  @moduledoc false
  # shrink/3: the smallest sub-workload that still fails.
  #
  # Op i of a generator does not depend on the ops around it, so a shrunk
  # workload is the original generators plus the op positions kept: each
  # worker's ops are materialized once, the search works on lists of kept
  # positions (one per worker), and the result is `select(gen, kept)`.
  #
  # The search is chunk removal with halving (the complement half of ddmin):
  # at chunk size c, from the smallest power of two covering the longest
  # worker down to 1, each worker's kept list is walked in chunks of c and a
  # chunk is dropped whenever the ops without it still fail. The first level
  # tries to empty each worker at once; a chunk that cannot go holds a culprit,
  # so each level keeps at most about 2·r chunks for r culprits, and the whole
  # search costs O(r · log n) calls for n ops. After the per-worker chunks,
  # each level also tries the same chunk of positions out of every worker at
  # once: a failure that depends on how the workers' ops interleave (say
  # round-robin, by position) can need them removed together to stay
  # aligned, where removing either alone is a dead end. Level 1 is repeated until a
  # pass removes nothing: then removing any single op makes the failure go
  # away (1-minimal), also for a `fails?` that is not monotone.
  #
  # A chunk that was tried and kept is remembered (worker, first position,
  # length) until the next successful removal, so short lists are not tried
  # again at every level. Everything is deterministic: the same inputs and
  # the same answers of `fails?` give the same calls and the same result.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Build, Keyed, Options, ShrinkInfo}

  import Bitwise

  @default_max_ops 1_000_000
  @max_int (1 <<< 64) - 1

  @doc false
  @spec shrink(G.t() | [G.t()], (term() -> as_boolean(term())), keyword()) ::
          {:ok, G.t() | [G.t()], ShrinkInfo.t()}
          | {:error, :flaky | :fails_without_ops, ShrinkInfo.t()}
  def shrink(gens, fails?, opts) do
    {shape, gens} = shape!(gens)

    unless is_function(fails?, 1) do
      raise ArgumentError,
            "shrink/3 expects fails? to be a function of arity 1, got: #{inspect(fails?)}"
    end

    {max_calls, max_ops, pass} = opts!(opts)

    tables =
      gens
      |> Enum.with_index()
      |> Enum.map(fn {gen, w} -> gen |> materialize!(w, shape, max_ops) |> List.to_tuple() end)
      |> List.to_tuple()

    kept = tables |> Tuple.to_list() |> Enum.map(&Enum.to_list(0..(tuple_size(&1) - 1)//1))
    kept = List.to_tuple(kept)

    st = %{
      kept: kept,
      tables: tables,
      shape: shape,
      gens: if(pass == :generators, do: gens),
      fails?: fails?,
      calls: 1,
      max_calls: max_calls,
      tried: MapSet.new(),
      removed: 0
    }

    unless call(st, kept) do
      raise ArgumentError,
            "shrink/3: fails? returned false for the input ops; " <>
              "it must return true for the whole input (the failure to shrink)"
    end

    longest = kept |> Tuple.to_list() |> Enum.map(&length/1) |> Enum.max()

    {st, stopped_early} =
      try do
        {st |> whole_keys() |> levels(power_of_two(max(longest, 1), 1)), false}
      catch
        {__MODULE__, :stop, st} -> {st, true}
      end

    # The result checked once more (when :max_calls leaves a call for it):
    # a fails? that is not deterministic, or that fails whatever the ops,
    # shows here instead of passing for a shrunk failure.
    {st, rechecked} =
      if st.calls < max_calls,
        do: {%{st | calls: st.calls + 1}, call(st, st.kept)},
        else: {st, false}

    shrunk = selections(gens, st.kept)
    before = Enum.map(Tuple.to_list(tables), &tuple_size/1)
    after_ = Enum.map(Tuple.to_list(st.kept), &length/1)

    info = %ShrinkInfo{
      calls: st.calls,
      ops_before: Enum.sum(before),
      ops_after: Enum.sum(after_),
      worker_ops_before: before,
      worker_ops_after: after_,
      stopped_early: stopped_early,
      rechecked: rechecked
    }

    shrunk = if shape == :one, do: hd(shrunk), else: shrunk

    cond do
      not rechecked and not stopped_early -> {:error, :flaky, info}
      info.ops_after == 0 -> {:error, :fails_without_ops, info}
      true -> {:ok, shrunk, info}
    end
  end

  defp selections(gens, kept), do: Enum.zip_with(gens, Tuple.to_list(kept), &Build.select/2)

  defp power_of_two(n, p) when p >= n, do: p
  defp power_of_two(n, p), do: power_of_two(n, p * 2)

  # One pass at chunk size c over every worker, then the next size; level 1
  # again until it removes nothing.
  defp levels(st, c) do
    removed = st.removed
    st = Enum.reduce(0..(tuple_size(st.kept) - 1), st, &chunks(&2, &1, 0, c))
    st = aligned(st, 0, c)

    cond do
      c > 1 -> levels(st, div(c, 2))
      st.removed > removed -> levels(st, 1)
      true -> st
    end
  end

  defp chunks(st, w, i, c) do
    list = elem(st.kept, w)

    if i >= length(list) do
      st
    else
      chunk = Enum.slice(list, i, c)
      key = {w, hd(chunk), length(chunk)}
      kept = put_elem(st.kept, w, cut(list, i, c))

      cond do
        MapSet.member?(st.tried, key) ->
          chunks(st, w, i + c, c)

        test(st, kept) ->
          st = %{st | kept: kept, calls: st.calls + 1, tried: MapSet.new()}
          chunks(%{st | removed: st.removed + length(chunk)}, w, i, c)

        true ->
          st = %{st | calls: st.calls + 1, tried: MapSet.put(st.tried, key)}
          chunks(st, w, i + c, c)
      end
    end
  end

  # The same chunk of positions [i, i + c) out of every worker at once (when
  # two or more workers have ops there): keeps the workers aligned, as a
  # failure that depends on how their ops interleave may need.
  defp aligned(st, i, c) do
    lists = Tuple.to_list(st.kept)

    case Enum.count(lists, &(length(&1) > i)) do
      0 ->
        st

      1 ->
        aligned(st, i + c, c)

      _ ->
        key = {:aligned, Enum.map(lists, &Enum.slice(&1, i, c))}
        kept = lists |> Enum.map(&cut(&1, i, c)) |> List.to_tuple()

        cond do
          MapSet.member?(st.tried, key) ->
            aligned(st, i + c, c)

          test(st, kept) ->
            removed =
              Enum.sum(Enum.map(lists, &length/1)) -
                Enum.sum(Enum.map(Tuple.to_list(kept), &length/1))

            aligned(
              %{
                st
                | kept: kept,
                  calls: st.calls + 1,
                  tried: MapSet.new(),
                  removed: st.removed + removed
              },
              i,
              c
            )

          true ->
            aligned(%{st | calls: st.calls + 1, tried: MapSet.put(st.tried, key)}, i + c, c)
        end
    end
  end

  # Independent keys (Lockstep.Generator.Keyed ops): each key's ops out of
  # every worker at once, one call per key, before the chunks; a failure
  # confined to one key keeps that key alone.
  defp whole_keys(st) do
    keys =
      for {list, w} <- Enum.with_index(Tuple.to_list(st.kept)),
          i <- list,
          match?(%Keyed{}, elem(elem(st.tables, w), i)),
          uniq: true,
          do: elem(elem(st.tables, w), i).key

    Enum.reduce(keys, st, fn key, st ->
      kept =
        st.kept
        |> Tuple.to_list()
        |> Enum.with_index()
        |> Enum.map(fn {list, w} ->
          table = elem(st.tables, w)
          Enum.reject(list, &match?(%Keyed{key: ^key}, elem(table, &1)))
        end)
        |> List.to_tuple()

      removed = kept_count(st.kept) - kept_count(kept)

      cond do
        removed == 0 -> st
        test(st, kept) -> %{st | kept: kept, calls: st.calls + 1, removed: st.removed + removed}
        true -> %{st | calls: st.calls + 1}
      end
    end)
  end

  defp kept_count(kept), do: kept |> Tuple.to_list() |> Enum.map(&length/1) |> Enum.sum()

  defp cut(list, i, c) do
    {pre, rest} = Enum.split(list, i)
    pre ++ Enum.drop(rest, c)
  end

  defp test(%{calls: calls, max_calls: max} = st, _kept) when calls >= max,
    do: throw({__MODULE__, :stop, st})

  defp test(st, kept), do: call(st, kept)

  # fails? on the kept positions: their ops (lists), or with
  # `pass: :generators` their selections (generators, empty ones included).
  defp call(%{gens: nil} = st, kept) do
    ops =
      for {list, w} <- Enum.with_index(Tuple.to_list(kept)) do
        table = elem(st.tables, w)
        Enum.map(list, &elem(table, &1))
      end

    if st.fails?.(if st.shape == :one, do: hd(ops), else: ops), do: true, else: false
  end

  defp call(st, kept) do
    gens = selections(st.gens, kept)
    if st.fails?.(if st.shape == :one, do: hd(gens), else: gens), do: true, else: false
  end

  defp shape!(%G{} = gen), do: {:one, [gen]}

  defp shape!([_ | _] = gens) do
    if Enum.all?(gens, &match?(%G{}, &1)), do: {:many, gens}, else: bad_gens!(gens)
  end

  defp shape!(other), do: bad_gens!(other)

  defp bad_gens!(gens) do
    raise ArgumentError,
          "shrink/3 expects gens to be a generator or a non-empty list of generators, got: " <>
            inspect(gens, limit: 5)
  end

  defp opts!(opts) do
    opts = Options.keyword!(opts, [:max_calls, :max_ops, :pass], "shrink/3")

    max_calls =
      case Keyword.get(opts, :max_calls, :infinity) do
        :infinity -> :infinity
        _ -> Options.int!(opts, :max_calls, nil, 1..@max_int, "shrink/3")
      end

    max_ops = Options.int!(opts, :max_ops, @default_max_ops, 0..@max_int, "shrink/3")

    pass =
      case Keyword.get(opts, :pass, :ops) do
        pass when pass in [:ops, :generators] ->
          pass

        other ->
          raise ArgumentError,
                "shrink/3 expects :pass to be :ops or :generators, got: #{inspect(other)}"
      end

    {max_calls, max_ops, pass}
  end

  # The ops of a finite generator. A known length (Enumerable.count/1) is
  # checked against :max_ops before running; a tree with no finite bound
  # anywhere (no take/2 on it or on any child that could end it) is infinite;
  # anything else (filters, random mixes that end when a child does) is run
  # for at most max_ops + 1 ops.
  defp materialize!(gen, w, shape, max_ops) do
    name = if shape == :one, do: "gens", else: "generator #{w} of gens"

    case count(gen) do
      {:ok, n} when n > max_ops ->
        raise ArgumentError,
              "shrink/3: #{name} has #{n} ops, more than :max_ops (#{max_ops})"

      {:ok, _n} ->
        Enum.to_list(gen)

      {:error, _} ->
        if infinite?(gen) do
          infinite!(name, gen)
        end

        ops = Enum.take(gen, max_ops + 1)

        if length(ops) > max_ops do
          raise ArgumentError,
                "shrink/3: #{name} has more than :max_ops (#{max_ops}) ops; " <>
                  "is it infinite? (bound it with take/2)"
        end

        ops

      :infinite ->
        infinite!(name, gen)
    end
  end

  # Enumerable.count/1 raises on a generator known to be infinite.
  defp count(gen) do
    Enumerable.count(gen)
  rescue
    ArgumentError -> :infinite
  end

  defp infinite!(name, gen) do
    raise ArgumentError,
          "shrink/3 expects finite generators, but #{name} is infinite " <>
            "(bound it with take/2): #{inspect(gen)}"
  end

  # No take/2 bound anywhere that could end it (a selection always ends).
  defp infinite?(%G{kind: :select}), do: false
  defp infinite?(%G{remaining: n}) when is_integer(n), do: false
  defp infinite?(%G{children: [_ | _] = cs}), do: Enum.all?(cs, &infinite?/1)
  defp infinite?(%G{}), do: true
end
