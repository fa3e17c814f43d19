defmodule Lockstep.Generator.Params do
  @moduledoc false
  # A value leaf's params (Settings.Value's `params`): what the engine
  # computes its ops from, one named struct per kind. They cross the NIF as
  # they are (native/lockstep_nif/src/params.rs decodes each by its field
  # names), so nothing is converted per refill. Every field is a plain
  # integer, float, list or boolean, and each is defined here once:
  #
  #   * first, last: the bounds of the values drawn, inclusive;
  #   * weights: the relative weights of the workload's op kinds, in the
  #     order its doc lists them, or :swarm (drawn from the seed);
  #   * table: true when the leaf's pool is the workload's op table
  #     (Lockstep.Generator.OpTable; the engine picks whole ops from it),
  #     false when the pool is the kind atoms the ops are built from;
  #   * workers, worker: the share of a unique-valued leaf after split/2
  #     (Lockstep.Generator.Unique: values in the class worker mod workers).

  defmodule Integers do
    @moduledoc false
    # integers/2: uniform integers in first..last.
    @enforce_keys [:first, :last]
    defstruct [:first, :last]
  end

  defmodule Zipf do
    @moduledoc false
    # zipf/2: ranks 1..n by a Zipf law of exponent `skew` (a float).
    @enforce_keys [:n, :skew]
    defstruct [:n, :skew]
  end

  defmodule Counter do
    @moduledoc false
    # counter/1: op i is start + i·workers + worker.
    @enforce_keys [:start]
    defstruct start: 1, workers: 1, worker: 0
  end

  defmodule Transfer do
    @moduledoc false
    # The bank workload's transfers alone (no constructor of its own; the
    # golden values pin its stream): `{:transfer, from, to, amount}` over
    # `accounts` accounts, amounts 1..max_amount.
    @enforce_keys [:accounts, :max_amount]
    defstruct [:accounts, :max_amount]
  end

  defmodule Register do
    @moduledoc false
    # Workloads.register/1: values in first..last; weights of read, write,
    # cas.
    @enforce_keys [:first, :last, :weights]
    defstruct first: 1, last: 5, weights: [1, 1, 1], table: false
  end

  defmodule Bank do
    @moduledoc false
    # Workloads.bank/1: `accounts` accounts, transfers of 1..max_amount;
    # weights of transfer, read.
    @enforce_keys [:accounts, :max_amount, :weights]
    defstruct accounts: 5, max_amount: 5, weights: [1, 1], table: false
  end

  defmodule ListAppend do
    @moduledoc false
    # Workloads.list_append/1: keys 0..keys-1, 1..max_len micro-ops per
    # op; weights of append, read; `skew`: the Zipf exponent of the keys'
    # law (a float), or nil for uniform keys.
    @enforce_keys [:keys, :max_len, :weights]
    defstruct keys: 8,
              max_len: 4,
              weights: [1, 1],
              skew: 1.0,
              workers: 1,
              worker: 0,
              table: false
  end

  @doc false
  # True for a params struct of a kind the engine knows.
  @spec params?(term()) :: boolean()
  def params?(%mod{}) when mod in [Integers, Zipf, Counter, Transfer, Register, Bank, ListAppend],
    do: true

  def params?(_other), do: false
end
