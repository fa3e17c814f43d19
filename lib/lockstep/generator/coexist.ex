defmodule Lockstep.Generator.Coexist do
  @moduledoc """
  Makes this package's `Lockstep.Generator` the one that runs when the
  `lockstep` package, which ships its own pure-Elixir `Lockstep.Generator`, is
  loaded in the same VM (README, "In a Lockstep project").

  Both applications put a `Elixir.Lockstep.Generator.beam` on the code path,
  and the BEAM loads whichever comes first there (Mix puts `lockstep` first).
  `prefer_ours/0` moves this application's `ebin` to the front of the code
  path and, for every module of this application whose code would come from
  another directory, loads the beam from this application's `ebin` instead
  (`:code.load_abs/1`), purging the other one.

  It runs automatically when the `:lockstep_generator` application starts
  (`mix test`, `mix run`, releases: `Lockstep.Generator.Application`) and at
  the start of `mix lockstep.gen`. Call it yourself where applications are
  not started (`mix test --no-start`, scripts): it is idempotent, cheap, and
  a no-op when there is no conflict (a release without `lockstep`).

  Any number of processes may call it at once: calls are serialised (a
  `:global` lock on this node), and each one loads only what is still not
  ours when its turn comes, so every module is loaded at most once however
  many call it (the others return `[]`).

  Two things it cannot prevent:

    * re-running Mix's `loadpaths` task in the same VM (`Mix.Task.rerun/1`,
      some tasks do) puts the other package's `ebin` back in front of the
      code path: modules not loaded yet would come from it again. Call
      `prefer_ours/0` again after it;
    * loading our module purges the other package's `Lockstep.Generator`,
      and the BEAM kills every process still running that old code (one
      in the middle of a call into it): call `prefer_ours/0` before
      starting processes that use either.
  """

  @app :lockstep_generator

  @doc """
  Loads this package's version of every module it shares with another
  application. Returns the modules it (re)loaded: `[]` when nothing was in
  the way.
  """
  @spec prefer_ours() :: [module()]
  def prefer_ours do
    # One caller at a time on this node: a purge and load racing another's
    # (`:not_purged`, or our own module reloaded and purged) is what the
    # lock rules out. The lock is released if the holder dies.
    :global.trans({__MODULE__, self()}, &prefer_ours_locked/0, [node()])
  end

  defp prefer_ours_locked do
    case ebin() do
      nil ->
        []

      ebin ->
        # Modules loaded from elsewhere, or that would be (another ebin comes
        # first on the code path), are loaded from ours now, eagerly...
        loaded = for mod <- modules(ebin), not ours?(mod, ebin), do: load!(mod, ebin)
        # ...and our ebin goes first, so the others come from it too.
        :code.add_patha(String.to_charlist(ebin))
        loaded
    end
  end

  @doc """
  The directory `Lockstep.Generator` is loaded from, or, when it is not
  loaded yet, the one it would be loaded from (the first on the code path);
  `nil` when there is none.
  """
  @spec loaded_from() :: String.t() | nil
  def loaded_from do
    # The module's file on the code path, named as a plain atom: Coexist
    # never calls it (no dependency on it, as `mix xref` counts them).
    case :code.which(:"Elixir.Lockstep.Generator") do
      path when is_list(path) -> Path.dirname(List.to_string(path))
      _ -> nil
    end
  end

  defp ebin do
    case :code.lib_dir(@app) do
      dir when is_list(dir) -> Path.join(List.to_string(dir), "ebin")
      {:error, _} -> nil
    end
  end

  defp modules(ebin) do
    case :application.get_key(@app, :modules) do
      {:ok, mods} ->
        mods

      :undefined ->
        for beam <- Path.wildcard(Path.join(ebin, "*.beam")),
            do: beam |> Path.basename(".beam") |> String.to_atom()
    end
  end

  # Whether the code that runs (loaded, or the first on the code path) for
  # `mod` is ours; modules that only we have are ours by definition.
  defp ours?(mod, ebin) do
    case :code.which(mod) do
      path when is_list(path) -> same_dir?(Path.dirname(List.to_string(path)), ebin)
      _preloaded_or_missing -> true
    end
  end

  defp same_dir?(a, b), do: Path.expand(a) == Path.expand(b)

  defp load!(mod, ebin) do
    file = String.to_charlist(Path.join(ebin, Atom.to_string(mod)))
    # Drop any old code first, load ours (the other becomes old), drop it.
    :code.purge(mod)

    case :code.load_abs(file) do
      {:module, ^mod} ->
        :code.purge(mod)
        mod

      {:error, reason} ->
        raise "Lockstep.Generator.Coexist: could not load #{inspect(mod)} from #{ebin}: #{inspect(reason)}"
    end
  end
end
