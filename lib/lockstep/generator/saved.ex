defmodule Lockstep.Generator.Saved do
  @moduledoc false
  # save/2 and load/1: a workload's generators in a file.
  #
  # The file holds how to build the generators (the plans of
  # Lockstep.Generator.Recipe: constructors, options, fork keys, positions),
  # not their ops and not their internal state, so it stays loadable when the
  # internals change, and it holds nothing that could run code: loading
  # calls the public constructors, which check every argument.
  #
  # Layout (version 1):
  #
  #   "LOCKSTEP-GENERATOR\n"          magic
  #   version    :: 16 bits, big-endian
  #   size       :: 32 bits             byte size of `atoms`
  #   atoms      :: term_to_binary([binary])   the names of the atoms in `body`
  #   crc        :: 32 bits             :erlang.crc32(atoms <> body)
  #   body       :: term_to_binary(%{shape:, plans:, recipe:})
  #
  # `binary_to_term(_, [:safe])` creates no atom, so the atoms the ops use
  # (`:lost_write`, a module of a named capture) are listed first; they are
  # created once the magic, the version and the checksum are known good
  # (at most @max_atoms, each a valid atom name). Errors are
  # `{:error, reason}` with `reason` a sentence.

  alias Lockstep.Generator.Recipe

  @magic "LOCKSTEP-GENERATOR\n"
  @version 1
  @max_atoms 100_000

  @doc false
  @spec save(term(), Path.t()) :: :ok | {:error, String.t()}
  def save(gen_or_gens, path) do
    plans = Recipe.plans(gen_or_gens)
    {shape, list} = plans

    body =
      :erlang.term_to_binary(%{shape: shape, plans: list, recipe: Recipe.source(plans)}, [
        :deterministic
      ])

    atoms = plans |> atoms(MapSet.new()) |> Enum.map(&Atom.to_string/1) |> Enum.sort()
    atoms = :erlang.term_to_binary(atoms)
    crc = :erlang.crc32([atoms, body])

    file = [@magic, <<@version::16, byte_size(atoms)::32>>, atoms, <<crc::32>>, body]

    case File.write(path, file) do
      :ok -> :ok
      {:error, reason} -> {:error, "cannot write #{path}: #{:file.format_error(reason)}"}
    end
  end

  defp atoms(term, acc) when is_atom(term), do: MapSet.put(acc, term)
  defp atoms([head | tail], acc), do: atoms(tail, atoms(head, acc))
  defp atoms(term, acc) when is_tuple(term), do: atoms(Tuple.to_list(term), acc)
  defp atoms(term, acc) when is_map(term), do: atoms(:maps.to_list(term), acc)
  defp atoms(_term, acc), do: acc

  @doc false
  @spec load(Path.t()) :: {:ok, term()} | {:error, String.t()}
  def load(path) do
    with {:ok, bin} <- read(path),
         {:ok, atoms, body} <- unpack(bin, path),
         :ok <- make_atoms(atoms, path),
         {:ok, %{shape: shape, plans: plans}} <- decode(body, path) do
      build(shape, plans, path)
    end
  end

  defp read(path) do
    case File.read(path) do
      {:ok, bin} -> {:ok, bin}
      {:error, reason} -> {:error, "cannot read #{path}: #{:file.format_error(reason)}"}
    end
  rescue
    e in ArgumentError -> {:error, "cannot read #{inspect(path)}: #{Exception.message(e)}"}
  end

  defp unpack(<<@magic, version::16, _rest::binary>>, path) when version > @version do
    {:error,
     "#{path} was saved by a newer version of lockstep_generator (file format " <>
       "#{version}, this version reads #{@version}): upgrade to load it"}
  end

  defp unpack(
         <<@magic, @version::16, size::32, atoms::binary-size(size), crc::32, body::binary>>,
         path
       ) do
    if :erlang.crc32([atoms, body]) == crc do
      {:ok, atoms, body}
    else
      {:error, "#{path} is damaged or truncated (checksum mismatch)"}
    end
  end

  defp unpack(<<@magic, _rest::binary>>, path),
    do: {:error, "#{path} is truncated or damaged (incomplete header)"}

  defp unpack(bin, path) do
    if byte_size(bin) < byte_size(@magic) and String.starts_with?(@magic, bin) do
      {:error, "#{path} is truncated (incomplete header)"}
    else
      {:error,
       "#{path} is not a saved Lockstep.Generator workload (no LOCKSTEP-GENERATOR header)"}
    end
  end

  defp make_atoms(bin, path) do
    case safe_term(bin) do
      {:ok, names} when is_list(names) and length(names) <= @max_atoms ->
        if Enum.all?(names, &(is_binary(&1) and byte_size(&1) <= 255 and String.valid?(&1))) do
          Enum.each(names, &String.to_atom/1)
        else
          {:error, "#{path} has an invalid atom table"}
        end

      _ ->
        {:error, "#{path} has an invalid atom table"}
    end
  end

  defp decode(body, path) do
    case safe_term(body) do
      {:ok, %{shape: shape, plans: _} = term} when shape in [:one, :many] ->
        {:ok, term}

      _ ->
        {:error, "#{path} does not hold a saved workload (unreadable contents)"}
    end
  end

  defp safe_term(bin) do
    {:ok, :erlang.binary_to_term(bin, [:safe])}
  rescue
    ArgumentError -> :error
  end

  defp build(shape, plans, path) do
    {:ok, Recipe.build({shape, plans})}
  rescue
    # The constructors raise ArgumentError; anything else is as bad a file.
    e ->
      {:error, "#{path} holds a generator that cannot be built here: #{Exception.message(e)}"}
  end
end
