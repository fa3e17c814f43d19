defmodule Lockstep.Generator.IndependentTest do
  # Independent.subhistories/1 on hand-written histories and on histories
  # interleaved from known per-key sub-histories, and its errors.
  use ExUnit.Case, async: true

  alias Lockstep.Generator.Independent

  doctest Independent

  defmodule Event do
    # A history event as a struct, with a field subhistories/1 must keep.
    defstruct [:type, :f, :value, :process, :time]
  end

  defp inv(p, f, v), do: %{type: :invoke, f: f, value: v, process: p}
  defp ok(p, f, v), do: %{type: :ok, f: f, value: v, process: p}
  defp fail(p, f, v), do: %{type: :fail, f: f, value: v, process: p}
  defp info(p, f, v), do: %{type: :info, f: f, value: v, process: p}

  describe "keyed histories" do
    test "interleaved processes on several keys: each key's events, in order, values unwrapped" do
      history = [
        inv(0, :write, {:x, 1}),
        inv(1, :read, {:y, nil}),
        inv(2, :cas, {:x, {1, 2}}),
        ok(1, :read, {:y, nil}),
        ok(0, :write, {:x, 1}),
        inv(1, :write, {:x, 7}),
        ok(2, :cas, {:x, {1, 2}}),
        inv(0, :read, {:y, nil}),
        ok(1, :write, {:x, 7}),
        ok(0, :read, {:y, 4})
      ]

      assert Independent.subhistories(history) == %{
               x: [
                 inv(0, :write, 1),
                 inv(2, :cas, {1, 2}),
                 ok(0, :write, 1),
                 inv(1, :write, 7),
                 ok(2, :cas, {1, 2}),
                 ok(1, :write, 7)
               ],
               y: [
                 inv(1, :read, nil),
                 ok(1, :read, nil),
                 inv(0, :read, nil),
                 ok(0, :read, 4)
               ]
             }
    end

    test ":fail and :info complete the pending invoke; the process may invoke again after them" do
      history = [
        inv(0, :cas, {1, {3, 4}}),
        inv(1, :write, {2, 9}),
        fail(0, :cas, {1, {3, 4}}),
        info(1, :write, nil),
        inv(0, :read, {2, nil}),
        inv(1, :read, {1, nil}),
        info(0, :read, {2, :timeout}),
        ok(1, :read, {1, 3})
      ]

      assert Independent.subhistories(history) == %{
               1 => [
                 inv(0, :cas, {3, 4}),
                 fail(0, :cas, {3, 4}),
                 inv(1, :read, nil),
                 ok(1, :read, 3)
               ],
               2 => [
                 inv(1, :write, 9),
                 info(1, :write, nil),
                 inv(0, :read, nil),
                 info(0, :read, :timeout)
               ]
             }
    end

    test "a completion's value is unwrapped only when it is {its invoke's key, v}" do
      history = [
        inv(0, :read, {:a, nil}),
        ok(0, :read, {:b, 1}),
        inv(0, :read, {:a, nil}),
        ok(0, :read, 5),
        inv(0, :read, {:a, nil}),
        ok(0, :read, {:a, 1, 2})
      ]

      assert Independent.subhistories(history) == %{
               a: [
                 inv(0, :read, nil),
                 ok(0, :read, {:b, 1}),
                 inv(0, :read, nil),
                 ok(0, :read, 5),
                 inv(0, :read, nil),
                 ok(0, :read, {:a, 1, 2})
               ]
             }
    end

    test "invokes still pending at the end are kept, under their keys" do
      history = [inv(0, :write, {:k, 1}), inv(1, :read, {:j, nil}), ok(1, :read, {:j, 0})]

      assert Independent.subhistories(history) == %{
               k: [inv(0, :write, 1)],
               j: [inv(1, :read, nil), ok(1, :read, 0)]
             }
    end

    test "any term is a key or a process, nil and tuples included" do
      history = [
        inv({:n, 1}, :write, {nil, 1}),
        inv(:p, :write, {{:k, 2}, 2}),
        ok(:p, :write, {{:k, 2}, 2}),
        ok({:n, 1}, :write, {nil, 1})
      ]

      assert Independent.subhistories(history) == %{
               nil => [inv({:n, 1}, :write, 1), ok({:n, 1}, :write, 1)],
               {:k, 2} => [inv(:p, :write, 2), ok(:p, :write, 2)]
             }
    end

    test "structs keep their type and every other field" do
      history = [
        %Event{type: :invoke, f: :write, value: {:a, 1}, process: 0, time: 10},
        %Event{type: :invoke, f: :read, value: {:b, nil}, process: 1, time: 11},
        %Event{type: :ok, f: :read, value: {:b, 2}, process: 1, time: 12},
        %Event{type: :info, f: :write, value: nil, process: 0, time: 13}
      ]

      assert Independent.subhistories(history) == %{
               a: [
                 %Event{type: :invoke, f: :write, value: 1, process: 0, time: 10},
                 %Event{type: :info, f: :write, value: nil, process: 0, time: 13}
               ],
               b: [
                 %Event{type: :invoke, f: :read, value: nil, process: 1, time: 11},
                 %Event{type: :ok, f: :read, value: 2, process: 1, time: 12}
               ]
             }
    end

    test "histories interleaved from known per-key sub-histories split back into them" do
      for seed <- 1..30 do
        :rand.seed(:exsss, {seed, 7, 11})
        {history, expected} = interleaved_history(6, 25)
        assert Independent.subhistories(history) == expected, "seed #{seed}"
      end
    end
  end

  describe "histories that are not keyed" do
    test "go whole, unchanged, under :unkeyed" do
      history = [
        inv(0, :write, 1),
        inv(1, :read, nil),
        ok(1, :read, 0),
        fail(0, :write, 1),
        inv(0, :cas, [1, 2]),
        info(0, :cas, nil),
        inv(2, :read, nil)
      ]

      assert Independent.subhistories(history) == %{unkeyed: history}
    end

    test "the empty history has no keys" do
      assert Independent.subhistories([]) == %{}
    end

    test "a completion's pair value alone does not make a history keyed" do
      history = [inv(0, :read, nil), ok(0, :read, {1, 2})]
      assert Independent.subhistories(history) == %{unkeyed: history}
    end
  end

  describe "errors name the event's index" do
    test "a completion with no pending invoke" do
      for {history, i} <- [
            {[ok(0, :read, {:a, 1})], 0},
            {[inv(0, :read, {:a, nil}), ok(0, :read, {:a, 1}), ok(0, :read, {:a, 1})], 2},
            {[inv(0, :read, {:a, nil}), fail(1, :read, nil)], 1},
            {[inv(0, :read, nil), info(0, :read, nil), info(0, :read, nil)], 2}
          ] do
        error = assert_raise ArgumentError, fn -> Independent.subhistories(history) end
        assert error.message =~ "event #{i} "
        assert error.message =~ "no pending invoke"
      end
    end

    test "an invoke whose value is not keyed while others are" do
      history = [inv(0, :read, {:a, nil}), ok(0, :read, {:a, 1}), inv(1, :write, 3)]
      error = assert_raise ArgumentError, fn -> Independent.subhistories(history) end
      assert error.message =~ "event 2 "
      assert error.message =~ "not a {key, value} pair"
      assert error.message =~ "index 0 is keyed"

      # The unkeyed invoke first: the error is still the unkeyed one.
      history = [inv(1, :write, 3), inv(0, :read, {:a, nil})]
      error = assert_raise ArgumentError, fn -> Independent.subhistories(history) end
      assert error.message =~ "event 0 "
      assert error.message =~ "index 1 is keyed"
    end

    test "an invoke while the process's previous invoke is pending" do
      history = [inv(0, :read, {:a, nil}), inv(1, :read, {:a, nil}), inv(0, :write, {:b, 1})]
      error = assert_raise ArgumentError, fn -> Independent.subhistories(history) end
      assert error.message =~ "event 2 "
      assert error.message =~ "index 0 is pending"
    end

    test "events that are not maps with a known :type and a :process" do
      for {bad, i} <- [
            {[inv(0, :read, {:a, nil}), :read], 1},
            {[%{type: :invoke, f: :read, value: {:a, nil}}], 0},
            {[inv(0, :read, {:a, nil}), %{type: :done, f: :read, value: nil, process: 0}], 1},
            {[{:invoke, 0, :read, nil}], 0}
          ] do
        error = assert_raise ArgumentError, fn -> Independent.subhistories(bad) end
        assert error.message =~ "event #{i} "
        assert error.message =~ ":type"
      end
    end

    test "not a list, or not a proper one" do
      assert_raise ArgumentError, ~r/expects a list of events/, fn ->
        Independent.subhistories(%{})
      end

      error =
        assert_raise ArgumentError, fn ->
          Independent.subhistories([inv(0, :read, {:a, nil}) | :tail])
        end

      assert error.message =~ "index 1"
    end
  end

  # A keyed history of `procs` processes doing `n` ops each, on keys 0..3,
  # each op invoked then completed (:ok, :fail or :info; some left pending
  # at the end), the processes' events interleaved at random; and the
  # per-key sub-histories it must split into, built from the same ops.
  defp interleaved_history(procs, n) do
    per_process =
      for p <- 0..(procs - 1) do
        ops = for _ <- 1..n, do: random_op()
        # Each op: its invoke and, unless it is left pending, its completion.
        Enum.flat_map(ops, fn {key, f, v, completion, result} ->
          invoke = {key, inv(p, f, {key, v}), inv(p, f, v)}

          case completion do
            :pending ->
              [invoke]

            type ->
              [
                invoke,
                {key, completion(type, p, f, key, result), completion(type, p, f, nil, result)}
              ]
          end
        end)
        |> cut_at_first_pending()
      end

    events = interleave(per_process, [])
    history = Enum.map(events, fn {_key, wrapped, _unwrapped} -> wrapped end)

    expected =
      events
      |> Enum.group_by(fn {key, _, _} -> key end, fn {_, _, unwrapped} -> unwrapped end)

    {history, expected}
  end

  defp random_op do
    key = Enum.random(0..3)
    {f, v} = Enum.random([{:read, nil}, {:write, Enum.random(1..5)}, {:cas, {1, 2}}])
    completion = Enum.random([:ok, :ok, :ok, :fail, :info, :pending])
    {key, f, v, completion, Enum.random([nil, 3, {:x, 1}])}
  end

  # A completion whose value is {key, result} (unwrapped) or a bare result.
  defp completion(type, p, f, nil, result), do: %{type: type, f: f, value: result, process: p}

  defp completion(type, p, f, key, result) do
    if rem(:erlang.phash2({p, f, result}), 2) == 0,
      do: %{type: type, f: f, value: {key, result}, process: p},
      else: %{type: type, f: f, value: result, process: p}
  end

  # A pending invoke (one not followed by its completion) is the process's
  # last event.
  defp cut_at_first_pending([{_, %{type: :invoke}, _} = a, {_, %{type: :invoke}, _} | _]), do: [a]
  defp cut_at_first_pending([a | rest]), do: [a | cut_at_first_pending(rest)]
  defp cut_at_first_pending([]), do: []

  defp interleave(lists, acc) do
    case Enum.reject(lists, &(&1 == [])) do
      [] ->
        Enum.reverse(acc)

      live ->
        i = Enum.random(0..(length(live) - 1))
        [e | rest] = Enum.at(live, i)
        interleave(List.replace_at(live, i, rest), [e | acc])
    end
  end
end
