defmodule Lockstep.Generator.Check do
  @moduledoc false
  # check/3: run a workload over many seeds; on the first failure, shrink it
  # (shrink/3, pass: :generators, with `run` as the predicate) and raise an
  # ExUnit.AssertionError that says everything needed to see and replay it.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Build, Options, Recipe, Saved, Seed, Shrink}

  import Bitwise

  @max_u64 (1 <<< 64) - 1

  @doc false
  @spec check((term() -> G.t() | [G.t()]), (G.t() | [G.t()] -> term()), keyword()) :: :ok
  def check(build, run, opts) do
    unless is_function(build, 1) do
      raise ArgumentError,
            "check/3 expects build to be a function of arity 1 (seed -> generators), " <>
              "got: #{inspect(build)}"
    end

    unless is_function(run, 1) do
      raise ArgumentError,
            "check/3 expects run to be a function of arity 1 (generators -> result), " <>
              "got: #{inspect(run)}"
    end

    opts = Options.keyword!(opts, [:iterations, :seed, :save, :max_calls, :max_ops], "check/3")
    iterations = Options.int!(opts, :iterations, 100, 1..@max_u64, "check/3")
    {seed, seed_source} = seed(Keyword.get(opts, :seed))
    save = save_dir!(Keyword.get(opts, :save))
    shrink_opts = Keyword.take(opts, [:max_calls, :max_ops]) ++ [pass: :generators]

    # Iteration i's seed: op i of a seeded stream of 64-bit integers (the
    # same on every machine and release, like every stream).
    Build.integers(0..@max_u64, seed: seed)
    |> Build.take(iterations)
    |> Enum.with_index(1)
    |> Enum.each(fn {iter_seed, i} ->
      gens = gens!(build.(iter_seed), iter_seed)

      case outcome(run, gens) do
        :passed ->
          :ok

        {:failed, kind, message} ->
          ctx = %{
            seed: seed,
            seed_source: seed_source,
            iteration: i,
            iterations: iterations,
            iter_seed: iter_seed,
            gens: gens,
            message: message,
            save: save
          }

          fail!(ctx, shrink(gens, run, kind, shrink_opts))
      end
    end)
  end

  # `nil` is no seed: ExUnit's when ExUnit runs, else a drawn one.
  defp seed(nil) do
    case exunit_seed() do
      nil -> {Seed.generate(), "drawn"}
      seed -> {seed, "ExUnit's --seed"}
    end
  end

  defp seed(seed), do: {seed, "given"}

  defp exunit_seed do
    if Process.whereis(ExUnit.Server) do
      ExUnit.configuration()[:seed]
    end
  end

  defp save_dir!(nil), do: nil
  defp save_dir!(dir) when is_binary(dir), do: dir

  defp save_dir!(dir),
    do: raise(ArgumentError, "check/3 expects :save to be a directory path, got: #{inspect(dir)}")

  defp gens!(%G{} = gen, _seed), do: gen

  defp gens!([_ | _] = gens, seed) do
    if Enum.all?(gens, &match?(%G{}, &1)), do: gens, else: bad_build!(gens, seed)
  end

  defp gens!(other, seed), do: bad_build!(other, seed)

  defp bad_build!(other, seed) do
    raise ArgumentError,
          "check/3 expects build.(#{seed}) to return a generator or a non-empty list of " <>
            "generators, got: #{inspect(other, limit: 5)}"
  end

  # :passed, or {:failed, kind, message}: `run` raised (kind: the
  # exception's module), returned false or {:error, reason}.
  defp outcome(run, gens) do
    case run.(gens) do
      false -> {:failed, false, "run returned false"}
      {:error, reason} -> {:failed, :error, "run returned {:error, #{inspect(reason)}}"}
      _ -> :passed
    end
  rescue
    e -> {:failed, e.__struct__, format(e, __STACKTRACE__)}
  catch
    kind, reason -> {:failed, kind, Exception.format(kind, reason, []) |> String.trim()}
  end

  defp format(%ExUnit.AssertionError{} = e, _stack),
    do: e |> ExUnit.Formatter.format_assertion_error() |> String.trim()

  # The stack of `run` only (up to check/3's own frames).
  defp format(e, stack) do
    stack = Enum.take_while(stack, &(elem(&1, 0) != __MODULE__))
    Exception.format(:error, e, stack) |> String.trim()
  end

  # While shrinking, a candidate fails when it fails the same way (the same
  # exception module, or false, or an error tuple): a candidate that breaks
  # `run` some other way (an empty worker it did not expect) does not count.
  defp shrink(gens, run, kind, opts) do
    fails? = fn candidate ->
      match?({:failed, ^kind, _}, outcome(run, candidate))
    end

    case Shrink.shrink(gens, fails?, opts) do
      {:ok, shrunk, info} ->
        # Run once more for its message (a run that passes now is flaky).
        case outcome(run, shrunk) do
          {:failed, _kind, message} -> {:ok, shrunk, info, message}
          :passed -> {:error, :flaky, info}
        end

      {:error, reason, info} ->
        {:error, reason, info}
    end
  rescue
    e in ArgumentError -> {:not_shrunk, Exception.message(e)}
  end

  defp fail!(ctx, shrunk) do
    message = IO.iodata_to_binary(report(ctx, shrunk))
    raise ExUnit.AssertionError, message: message
  end

  defp report(ctx, {:ok, shrunk, info, message}) do
    saved = save(ctx, shrunk)

    [
      heading(ctx),
      "shrunk: #{info.ops_before} ops -> #{info.ops_after} ops ",
      "(per worker #{inspect(info.worker_ops_before, charlists: :as_lists)} -> ",
      "#{inspect(info.worker_ops_after, charlists: :as_lists)}) in #{info.calls} runs",
      stopped(info),
      "\n\nshrunk workload (op position: op):\n",
      ops(shrunk),
      "\nfailure of the shrunk workload:\n",
      indent(message),
      "\n\nrecipe (evaluate to rebuild the shrunk workload):\n",
      indent(recipe(shrunk)),
      saved
    ]
  end

  defp report(ctx, {:error, :flaky, info}) do
    [
      heading(ctx),
      "not shrunk: run is not deterministic (it passed on a workload it had failed ",
      "on, after #{info.calls} runs). Make the order of the workers' ops depend on the ",
      "ops or on a seed only, not on timing (see shrink/3).",
      "\n\nfailure:\n",
      indent(ctx.message),
      "\n\nrecipe of the whole workload:\n",
      indent(recipe(ctx.gens))
    ]
  end

  defp report(ctx, {:error, :fails_without_ops, info}) do
    [
      heading(ctx),
      "not shrunk: run fails with no op at all (after #{info.calls} runs): the failure ",
      "does not depend on the workload.",
      "\n\nfailure:\n",
      indent(ctx.message)
    ]
  end

  defp report(ctx, {:not_shrunk, reason}) do
    [
      heading(ctx),
      "not shrunk: #{reason}",
      "\n\nfailure:\n",
      indent(ctx.message)
    ]
  end

  defp heading(ctx) do
    [
      "check/3 failed at iteration #{ctx.iteration} of #{ctx.iterations}: build.(#{ctx.iter_seed})\n",
      "seed: #{inspect(ctx.seed)} (#{ctx.seed_source}; check/3 with seed: #{inspect(ctx.seed)} ",
      "builds the same workloads)\n"
    ]
  end

  defp stopped(%{stopped_early: true}), do: " (stopped by :max_calls: maybe not minimal)"
  defp stopped(_info), do: ""

  # Each worker's ops with their positions in the worker's original stream.
  defp ops(shrunk) do
    {shape, plans} = Recipe.plans(shrunk)

    workers =
      if shape == :one, do: [{shrunk, hd(List.wrap(plans))}], else: Enum.zip(shrunk, plans)

    many? = shape == :many

    for {{gen, plan}, w} <- Enum.with_index(workers) do
      positions = positions(plan)
      lines = Enum.zip_with(positions, Enum.to_list(gen), &"  #{&1}: #{inspect(&2)}\n")
      label = if many?, do: "worker #{w}:", else: "ops:"

      case lines do
        [] -> "#{label} none\n"
        _ -> ["#{label}\n" | lines]
      end
    end
  end

  defp positions({:select, [_child, indices], _opts, _steps}), do: indices
  defp positions(_plan), do: Stream.iterate(0, &(&1 + 1))

  defp recipe(gens) do
    Recipe.recipe(gens)
  rescue
    e in ArgumentError -> "(no recipe: #{Exception.message(e)})"
  end

  defp save(%{save: nil}, _shrunk), do: ""

  defp save(ctx, shrunk) do
    path = Path.join(ctx.save, "check-#{ctx.iter_seed}.lsg")

    result =
      try do
        File.mkdir_p!(ctx.save)
        Saved.save(shrunk, path)
      rescue
        e -> {:error, Exception.message(e)}
      end

    case result do
      :ok ->
        "\n\nsaved: #{path}\nprint it: mix lockstep.gen --load #{path}"

      {:error, reason} ->
        "\n\nnot saved: #{reason}"
    end
  end

  defp indent(text) do
    text |> String.trim_trailing() |> String.split("\n") |> Enum.map_join("\n", &("  " <> &1))
  end
end
