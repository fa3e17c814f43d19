defmodule Mix.Tasks.Lockstep.GenTest do
  # `mix lockstep.gen` (the main job).
  use ExUnit.Case, async: false

  import ExUnit.CaptureIO

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads
  alias Mix.Tasks.Lockstep.Gen

  defp run(args) do
    Mix.shell(Mix.Shell.IO)
    capture_io(fn -> Gen.run(args) end) |> String.split("\n", trim: true)
  end

  # The op column of each printed line, as terms.
  defp ops(lines) do
    for line <- lines, not String.starts_with?(line, "#") do
      [_i, op] = String.split(line, "\t", parts: 2)
      op |> Code.eval_string() |> elem(0)
    end
  end

  test "prints the seeded stream, numbered, with a header that reproduces it" do
    lines = run(~w(--seed 42 --take 5))
    assert hd(lines) == "# #Lockstep.Generator<random seed: 42 at: 0 remaining: 5>"
    pool = [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]
    assert ops(lines) == Enum.take(G.random(pool, seed: 42), 5)
    assert Enum.map(tl(lines), &hd(String.split(&1, "\t"))) == ~w(0 1 2 3 4)
  end

  test "ops, kinds and weights from the command line" do
    assert ops(run(~w(--kind cycle --take 4 a b:1 c:x:2))) == [:a, {:b, 1}, {:c, :x, 2}, :a]

    assert ops(run(~w(--kind weighted --seed 7 --take 6 read=3 write:1=1))) ==
             Enum.take(G.weighted([{:read, 3}, {{:write, 1}, 1}], seed: 7), 6)
  end

  test "--from replays a window, numbered from K, equal to drop/2" do
    lines = run(~w(--seed 9 --from 1000 --take 3))
    assert Enum.map(tl(lines), &hd(String.split(&1, "\t"))) == ~w(1000 1001 1002)
    pool = [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]
    assert ops(lines) == G.random(pool, seed: 9) |> G.drop(1000) |> Enum.take(3)
  end

  test "--workers prints one column per forked worker; --fork one fork" do
    [_h0, _h1, _h2, header | rows] = run(~w(--seed 42 --workers 3 --take 4))
    assert header == "op\tworker 0\tworker 1\tworker 2"
    pool = [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]
    columns = for w <- 0..2, do: Enum.take(G.fork(G.random(pool, seed: 42), w), 4)

    parsed =
      for row <- rows do
        [_i | cells] = String.split(row, "\t")
        Enum.map(cells, &elem(Code.eval_string(&1), 0))
      end

    assert parsed == Enum.zip_with(columns, & &1)
    assert ops(run(~w(--seed 42 --fork 2 --take 4))) == Enum.at(columns, 2)
  end

  test "--workload prints a ready-made workload" do
    assert ops(run(~w(--workload list_append --seed 7 --take 3))) ==
             Enum.take(Workloads.list_append(seed: 7), 3)

    assert ops(run(~w(--workload bank --seed 7 --take 3))) ==
             Enum.take(Workloads.bank(seed: 7), 3)
  end

  # Rows of a --workers run: {op number, [op of each worker]}.
  defp rows(lines) do
    for line <- lines,
        not String.starts_with?(line, "#"),
        not String.starts_with?(line, "op\t") do
      [i | cells] = String.split(line, "\t")
      {String.to_integer(i), Enum.map(cells, &elem(Code.eval_string(&1), 0))}
    end
  end

  test "--workload list_append --workers 2: no (key, value) appended by both workers" do
    rows = rows(run(~w(--workload list_append --seed 7 --workers 2 --take 2000)))
    assert length(rows) == 2000

    per_worker =
      for w <- 0..1 do
        for {_i, ops} <- rows, [:append, k, v] <- Enum.at(ops, w), into: MapSet.new(), do: {k, v}
      end

    assert MapSet.size(Enum.at(per_worker, 0)) > 1000
    assert MapSet.disjoint?(Enum.at(per_worker, 0), Enum.at(per_worker, 1))
    values = for set <- per_worker, {_k, v} <- set, do: v
    assert length(Enum.uniq(values)) == length(values)

    # The columns are split/2's.
    [g0, g1] = G.split(Workloads.list_append(seed: 7), 2)
    assert Enum.map(rows, fn {_, [a, _]} -> a end) == Enum.take(g0, 2000)
    assert Enum.map(rows, fn {_, [_, b]} -> b end) == Enum.take(g1, 2000)
  end

  test "--select prints the ops at those positions, numbered by position" do
    pool = [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]
    gen = G.random(pool, seed: 42)
    lines = run(~w(--seed 42 --select 3,17,42))

    # The selection is the whole output: no take/2 on it, none in the header.
    header = "# " <> inspect(G.select(gen, [3, 17, 42]))
    assert Enum.take(lines, 2) == [header, "# select [3, 17, 42]"]
    refute hd(lines) =~ "remaining: 20"

    assert Enum.map(Enum.drop(lines, 2), &hd(String.split(&1, "\t"))) == ~w(3 17 42)
    assert ops(lines) == Enum.to_list(G.select(gen, [3, 17, 42]))
    assert ops(lines) == Enum.map([3, 17, 42], &Enum.at(G.drop(gen, &1), 0))

    # With --from K: select(drop(gen, K), indices), op numbers K + index.
    lines = run(~w(--seed 42 --from 100 --select 0,5))
    assert Enum.map(rows(lines), &elem(&1, 0)) == [100, 105]
    assert ops(lines) == [Enum.at(G.drop(gen, 100), 0), Enum.at(G.drop(gen, 105), 0)]

    # --take would silently cut the selection short: refused.
    assert_raise Mix.Error, ~r/--select and --take exclude each other/, fn ->
      run(~w(--seed 42 --select 0,5,9 --take 2))
    end

    # Per worker.
    lines = run(~w(--workload list_append --seed 7 --workers 2 --from 10 --select 1,4,9))
    assert Enum.count(lines, &(&1 == "# select [1, 4, 9]")) == 1
    rows = rows(lines)
    assert Enum.map(rows, &elem(&1, 0)) == [11, 14, 19]

    for {g, w} <- Enum.with_index(G.split(Workloads.list_append(seed: 7), 2)) do
      want = Enum.map([11, 14, 19], &Enum.at(G.drop(g, &1), 0))
      assert Enum.map(rows, fn {_, ops} -> Enum.at(ops, w) end) == want
    end
  end

  test "--select: bad lists are usage errors naming the bad value" do
    message = fn args -> assert_raise(Mix.Error, fn -> run(args) end).message end

    for {list, bad} <- [
          {"3,x", ~s("x")},
          {"3,1.5", ~s("1.5")},
          {"5,2", ~s("2" after 5)},
          {"4,4", ~s("4" after 4)},
          {"-1,2", ~s("-1")},
          {"1,,2", ~s("")}
        ] do
      m = message.(["--select", list])
      assert m =~ bad, m
      assert m =~ "--select", m
      assert m =~ "usage: mix lockstep.gen", m
    end
  end

  test "--workload ... --mix swarm: the workload's mix: :swarm" do
    assert ops(run(~w(--workload register --mix swarm --seed 5 --take 50))) ==
             Enum.take(Workloads.register(seed: 5, mix: :swarm), 50)

    assert ops(run(~w(--workload bank --mix swarm --seed 5 --take 50))) ==
             Enum.take(Workloads.bank(seed: 5, mix: :swarm), 50)

    message = fn args -> assert_raise(Mix.Error, fn -> run(args) end).message end
    assert message.(~w(--mix swarm)) =~ "--mix goes with --workload"
    assert message.(~w(--workload register --mix all)) =~ ~s(--mix must be swarm, got: "all")
  end

  test "bad arguments give a usage line, not a stack trace" do
    for args <- [
          ~w(--take -1),
          ~w(--take x),
          ~w(--bogus),
          ~w(--kind nope),
          ~w(--workload nope),
          ~w(--workers 0),
          ~w(--fork 1 --workers 2),
          ~w(--kind weighted read),
          ~w(--from -5),
          ~w(--take abc),
          ~w(cas:1:),
          ~w(--workload bank --kind weighted),
          ~w(--workload bank read)
        ] do
      error = assert_raise Mix.Error, fn -> run(args) end
      assert error.message =~ "usage: mix lockstep.gen", "#{inspect(args)}: #{error.message}"
    end
  end

  test "--help prints the full help: the task's doc" do
    help = Enum.join(run(~w(--help)), "\n")

    for option <-
          ~w(--kind --workload --mix --seed --take --from --fork --workers --select --stats --help),
        do: assert(help =~ "`#{option}", option)

    assert help =~ "Examples:"
    {:docs_v1, _, _, _, %{"en" => doc}, _, _} = Code.fetch_docs(Gen)
    assert String.split(doc, "\n", trim: true) == run(~w(--help))
  end

  test "usage errors name the bad value; --workload takes no ops and no --kind" do
    message = fn args -> assert_raise(Mix.Error, fn -> run(args) end).message end

    assert message.(~w(--take abc)) =~ ~s(--take must be a non-negative integer, got: "abc")
    assert message.(~w(--workers x)) =~ ~s(got: "x")
    assert message.(~w(cas:1:)) =~ ~s(op "cas:1:" has an empty name or argument)
    assert message.(~w(:x)) =~ "empty name"
    assert message.(~w(--kind weighted read=1 cas::2=1)) =~ "empty"
    assert message.(~w(--workload bank --kind weighted)) =~ "--workload and --kind exclude"
    assert message.(~w(--workload bank --kind random)) =~ "--workload and --kind exclude"
    assert message.(~w(--workload register read write:1)) =~ "takes no OP arguments"
    assert message.(~w(--bogus)) =~ "unknown option --bogus"
  end

  test "--stats draws the counts by Op.f of the ops it would print, all workers together" do
    [header, total | rows] = run(~w(--workload bank --seed 3 --from 10 --take 1000 --stats))
    assert header =~ "# #Lockstep.Generator<bank seed: 3 at: 10 remaining: 1000"
    assert total == "# 1000 ops by Lockstep.Generator.Op.f/1"
    counts = G.stats(G.drop(Workloads.bank(seed: 3), 10), 1000)

    parsed =
      for row <- rows, into: %{} do
        [f, count, pct, bar] = String.split(row, ~r/\s\s+/, parts: 4)
        assert pct =~ ~r/^\d+\.\d%$/
        assert bar =~ ~r/^█*[▏▎▍▌▋▊▉]?$/u
        {String.to_atom(f), String.to_integer(count)}
      end

    assert parsed == counts

    [_h0, _h1, total | rows] = run(~w(--seed 1 --workers 2 --take 500 --stats))
    assert total == "# 1000 ops by Lockstep.Generator.Op.f/1"
    gen = G.random([:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}], seed: 1)

    both =
      Map.merge(G.stats(G.fork(gen, 0), 500), G.stats(G.fork(gen, 1), 500), fn _, a, b ->
        a + b
      end)

    assert length(rows) == map_size(both)
    # Most frequent first, and the longest bar is 40 cells.
    [top | _] = rows
    assert top =~ String.duplicate("█", 40)
  end

  # An I/O server that counts what it is sent and keeps nothing.
  defp null_device(parent) do
    spawn_link(fn -> null_loop(parent, 0) end)
  end

  defp null_loop(parent, bytes) do
    receive do
      {:io_request, from, ref, {:put_chars, _enc, chars}} ->
        send(from, {:io_reply, ref, :ok})
        null_loop(parent, bytes + IO.iodata_length(chars))

      {:io_request, from, ref, _other} ->
        send(from, {:io_reply, ref, {:error, :enotsup}})
        null_loop(parent, bytes)

      {:bytes, pid} ->
        send(pid, {:bytes, bytes})
        null_loop(parent, bytes)
    end
  end

  @tag timeout: 120_000
  test "--workers with a large --take streams rows in bounded memory" do
    parent = self()
    device = null_device(parent)

    {pid, ref} =
      spawn_monitor(fn ->
        Process.group_leader(self(), device)
        Gen.run(~w(--seed 1 --workers 4 --take 400000))
        send(parent, :done)
      end)

    peak = sample_memory(pid, ref, 0)
    assert_received :done
    send(device, {:bytes, self()})
    assert_receive {:bytes, bytes}
    # 400,000 rows of 4 ops each, all written...
    assert bytes > 400_000 * 4 * 5
    # ...by a process that never held more than a few chunks of them (all
    # columns at once would be ~100 MB).
    assert peak < 16_000_000, "peak process memory #{peak} bytes"
  end

  defp sample_memory(pid, ref, peak) do
    receive do
      {:DOWN, ^ref, :process, ^pid, :normal} -> peak
      {:DOWN, ^ref, :process, ^pid, reason} -> flunk("mix lockstep.gen died: #{inspect(reason)}")
    after
      5 ->
        case Process.info(pid, :memory) do
          {:memory, m} -> sample_memory(pid, ref, max(peak, m))
          nil -> sample_memory(pid, ref, peak)
        end
    end
  end

  @tag :tmp_dir
  @tag timeout: 120_000
  test "a closed pipe (| head) ends the task quietly", %{tmp_dir: tmp} do
    err = Path.join(tmp, "stderr")

    # Built first: Mix prints "Compiling …" on stdout when this env's build
    # (the child's MIX_ENV, dev under a plain `mix test`) is stale.
    {_, 0} = System.cmd("mix", ["compile"], stderr_to_stdout: true)

    {out, status} =
      System.cmd("sh", [
        "-c",
        "mix lockstep.gen --seed 1 --workers 4 --take 2000000 2>'#{err}' | head -n 6"
      ])

    assert status == 0

    assert [_, _, _, _, "op\tworker 0\tworker 1\tworker 2\tworker 3", "0\t" <> _] =
             String.split(out, "\n", trim: true)

    stderr = File.read!(err)
    refute stderr =~ "ErlangError"
    refute stderr =~ "terminated"
    refute stderr =~ "Finished"
  end

  describe "--load" do
    @describetag :tmp_dir

    test "prints a saved list of generators in worker columns, all their ops", %{tmp_dir: dir} do
      path = Path.join(dir, "w.lsg")
      gens = G.split(Workloads.register(seed: 3, values: 1..3), 2)
      gens = [G.select(Enum.at(gens, 0), [1, 4, 7]), G.select(Enum.at(gens, 1), [0, 2, 9])]
      :ok = G.save(gens, path)
      lines = run(["--load", path])
      assert Enum.at(lines, 0) == "# worker 0: " <> inspect(Enum.at(gens, 0))
      assert Enum.at(lines, 2) == "op\tworker 0\tworker 1"
      rows = Enum.drop(lines, 3)
      assert length(rows) == 3

      cells = for row <- rows, do: row |> String.split("\t") |> tl() |> Enum.map(&eval/1)
      assert Enum.map(cells, &hd/1) == Enum.to_list(Enum.at(gens, 0))
      assert Enum.map(cells, &List.last/1) == Enum.to_list(Enum.at(gens, 1))
    end

    test "one generator, --from and --take apply to it", %{tmp_dir: dir} do
      path = Path.join(dir, "one.lsg")
      gen = G.random([:a, :b, :c], seed: 5) |> G.fork(:w)
      :ok = G.save(gen, path)
      lines = run(["--load", path, "--from", "10", "--take", "4"])
      assert ops(lines) == gen |> G.drop(10) |> Enum.take(4)
      # Infinite: 20 ops unless --take says otherwise.
      assert length(ops(run(["--load", path]))) == 20
    end

    test "errors: a bad file, and options the file already answers", %{tmp_dir: dir} do
      path = Path.join(dir, "bad.lsg")
      File.write!(path, "hello")

      assert_raise Mix.Error, ~r/not a saved Lockstep.Generator workload/, fn ->
        run(["--load", path])
      end

      :ok = G.save(G.cycle([:a]), path)

      for extra <- [~w(--seed 1), ~w(--workers 2), ~w(--workload bank), ~w(read)] do
        assert_raise Mix.Error, ~r/--load/, fn -> run(["--load", path | extra]) end
      end
    end
  end

  test "an op with =WEIGHT needs --kind weighted" do
    assert_raise Mix.Error, ~r/"read=3" has a =WEIGHT: weighted ops need --kind weighted/, fn ->
      run(~w(--seed 7 read=3 write:1=1))
    end

    assert ops(run(~w(--kind weighted --seed 7 --take 3 read=3 write:1=1))) ==
             Enum.take(G.weighted([{:read, 3}, {{:write, 1}, 1}], seed: 7), 3)
  end

  test "a switch without its value, or given twice, is named" do
    assert_raise Mix.Error, ~r/--seed needs a value/, fn -> run(~w(--seed)) end

    assert_raise Mix.Error, ~r/--select given more than once/, fn ->
      run(~w(--select 1 --select 2))
    end
  end

  test "--stats splits list-append transactions into their micro-ops" do
    lines = run(~w(--workload list_append --seed 1 --take 200 --stats))
    ops = Enum.take(Workloads.list_append(seed: 1), 200)
    micro = ops |> Enum.concat() |> Enum.frequencies_by(&hd/1)
    assert Enum.any?(lines, &(&1 =~ ~r/^append\s+#{micro[:append]}\s/))
    assert Enum.any?(lines, &(&1 =~ ~r/^r\s+#{micro[:r]}\s/))
  end

  describe "--independent" do
    test "keyed ops as {key, op}, one column per worker, as split/2 of independent/2" do
      args = ~w(--workload register --independent --per-key 20 --concurrency 3 --workers 6)
      lines = run(args ++ ~w(--seed 4 --take 10))
      {headers, [columns | rows]} = Enum.split_while(lines, &String.starts_with?(&1, "#"))
      assert length(headers) == 6
      assert hd(headers) =~ "independent keys: infinity per_key: 20 concurrency: 3 group: 0 of 2"
      assert columns == "op\tworker 0\tworker 1\tworker 2\tworker 3\tworker 4\tworker 5"

      workers =
        Workloads.register(seed: 4)
        |> G.independent(per_key: 20, concurrency: 3)
        |> G.split(6)
        |> Enum.map(&Enum.take(&1, 10))

      parsed =
        for row <- rows do
          [_i | cells] = String.split(row, "\t")
          Enum.map(cells, &eval/1)
        end

      expected =
        workers
        |> Enum.map(fn ops -> Enum.map(ops, &{&1.key, &1.op}) end)
        |> Enum.zip_with(& &1)

      assert parsed == expected
      # Group 0 on key 0, group 1 on key 1.
      assert Enum.map(hd(parsed), &elem(&1, 0)) == [0, 0, 0, 1, 1, 1]
    end

    test "--keys, --final, and --stats counts per key as well as per f" do
      lines =
        run(
          ~w(--workload register --independent --per-key 10 --concurrency 2 --workers 4 --keys 5 --final read --seed 2 --take 1000 --stats)
        )

      assert "# 5 keys: ops by key" in lines
      # Every key: 10 ops + one final read from each of its 2 workers.
      for k <- 0..4, do: assert(Enum.any?(lines, &(&1 =~ ~r/^#{k}\s+12\s/)), "key #{k}")
      assert "# 60 ops by Lockstep.Generator.Op.f/1" in lines
    end

    test "usage errors" do
      message = fn args -> assert_raise(Mix.Error, fn -> run(args) end).message end

      assert message.(~w(--workload register --per-key 3)) =~ "--per-key goes with --independent"

      assert message.(~w(--workload register --independent --concurrency 3 --workers 4)) =~
               "workers (4) to be a positive multiple of its concurrency (3)"

      assert message.(~w(--independent --concurrency 0)) =~ "--concurrency must be"
      assert message.(~w(--independent --keys x)) =~ "--keys must be"
    end
  end

  defp eval(text), do: text |> Code.eval_string() |> elem(0)
end
