defmodule Lockstep.Generator.Settings do
  @moduledoc false
  # A generator node's own settings (the struct's internal `engine` field):
  # one named struct per family of kinds, each defined here once with what
  # its fields mean. Structs are maps, so matching `%Leaf{pool: p}` costs
  # what `%{pool: p}` does; code reads them by field name, never by
  # position. A combinator defined in its own file (see
  # Lockstep.Generator.Combinators) keeps its settings in its own struct,
  # held by a `Composite`'s `strategy`.
  #
  #   Leaf        random/2, cycle/1
  #   Weighted    weighted/2
  #   Value       integers/2, zipf/2, counter/1, the workloads
  #   Composite   mix/2, concat/1, zip/1, and combinators of their own file
  #   Map         map/2
  #   Filter      filter/3
  #   Select      select/2
  #   Independent independent/2

  defmodule Leaf do
    @moduledoc false
    # A leaf that picks from its ops uniformly or in order (random/2,
    # cycle/1).
    #   * pool: the ops as a tuple (what the engine's pool indices index);
    #   * key: the engine key of the generator's seed (`{domain, value}`,
    #     Lockstep.Generator.Seed.key/1; `{0, 0}` for a cycle, which draws
    #     nothing);
    #   * stream: the ChaCha stream id, derived from `forks`;
    #   * forks: the fork keys, newest first.
    # (No more fields than the map it replaced, one word for `__struct__`
    # aside: a fresh generator per iteration in a process of the default
    # heap size garbage-collects by its size.)
    @enforce_keys [:pool, :key]
    defstruct pool: nil, key: nil, stream: 0, forks: []
  end

  defmodule Weighted do
    @moduledoc false
    # weighted/2: a Leaf's fields, and
    #   * table: the alias table resource for long weight lists (a cache
    #     rebuilt from the generator's `weights`, Lockstep.Generator.Tables),
    #     else nil.
    @enforce_keys [:pool, :key]
    defstruct pool: nil, key: nil, stream: 0, forks: [], table: nil
  end

  defmodule Value do
    @moduledoc false
    # A leaf whose ops the engine computes (integers/2, zipf/2, counter/1,
    # register/bank/list_append workloads).
    #   * params: the kind's parameters, a Lockstep.Generator.Params struct
    #     (the NIF spec takes it as it is);
    #   * pool: a tuple of the terms the ops pick (atoms, a workload's op
    #     table), possibly empty;
    #   * key, stream, forks: as in a Leaf.
    @enforce_keys [:params, :pool, :key]
    defstruct params: nil, pool: {}, key: nil, stream: 0, forks: []
  end

  defmodule Composite do
    @moduledoc false
    # A node the engine composes from its children: mix/2, concat/1, zip/1,
    # and the combinators defined in their own file.
    #   * until: :any or :all (which exhaustion ends a mix);
    #   * strategy: :round_robin, :random or :concat (mix/2, concat/1),
    #     :zip (zip/1), or a combinator's own settings struct (its module
    #     holds its rules, Lockstep.Generator.Combinators);
    #   * key, stream, forks, table, rpos: a `strategy: :random` mix's own
    #     stream (as in a Leaf), its alias table resource for long weight
    #     lists, and its own op index; nil (forks: []) for other strategies;
    # the buffer bookkeeping of Lockstep.Generator.Driver:
    #   * frontier: nil (children up to date), or one of the named shapes
    #     of Lockstep.Generator.Frontier: Final (the last refill of a take
    #     asked no state), Reported (the state a refill reported, applied
    #     when the buffer runs out), or a Lockstep.Generator.Cursor;
    #   * base_next_child: `next_child` before the last refill;
    #   * refilled: the ops of the last refill (with a cursor: the ops it
    #     made since it was made), those still buffered not yet given;
    #   * refills: refills so far (the first one is short);
    #   * ahead: per child, the ops pulled ahead of a supplied child
    #     (Lockstep.Generator.Supply), or nil.
    defstruct until: :any,
              strategy: :round_robin,
              frontier: nil,
              base_next_child: nil,
              refilled: 0,
              refills: 0,
              ahead: nil,
              key: nil,
              stream: nil,
              forks: [],
              table: nil,
              rpos: nil
  end

  defmodule Map do
    @moduledoc false
    # map/2: `fun`, the function applied to each op of the child.
    @enforce_keys [:fun]
    defstruct [:fun]
  end

  defmodule Filter do
    @moduledoc false
    # filter/3: `pred`, the predicate an op must pass; `max`, the most
    # consecutive rejections before raising (:max_rejections).
    @enforce_keys [:pred, :max]
    defstruct [:pred, :max]
  end

  defmodule Select do
    @moduledoc false
    # select/2 (Lockstep.Generator.Select):
    #   * indices: the child's op indices still to serve, increasing;
    #   * at: the child's op index (counted from the selection's start);
    #   * run: ops following on from `at` that the child has ready from its
    #     last refill (0 when none).
    @enforce_keys [:indices]
    defstruct indices: [], at: 0, run: 0
  end

  defmodule Independent do
    @moduledoc false
    # independent/2 (Lockstep.Generator.Independent):
    #   * template: the generator each key runs (forked by the key);
    #   * keys: the keys as given (a list, a range, or :infinity);
    #   * fork_keys: the engine's view of them: `{:naturals, first}` or
    #     the fork seeds of listed keys;
    #   * key_pool: the key terms as a tuple (the engine picks from it);
    #   * per_key: ops per key; concurrency: workers sharing a key;
    #   * final, final_pool: ops after every key's, as given and as a tuple;
    #   * lanes, groups, group, member: this worker's share after split/2
    #     (lanes per group, number of groups, its group, its lane).
    @enforce_keys [:template, :keys]
    defstruct template: nil,
              keys: nil,
              fork_keys: nil,
              key_pool: {},
              per_key: 20,
              concurrency: 1,
              final: [],
              final_pool: {},
              lanes: 1,
              groups: 1,
              group: 0,
              member: 0
  end
end
