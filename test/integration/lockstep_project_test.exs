defmodule Lockstep.LockstepProjectTest do
  # test/fixtures/lockstep_project: a stand-in `lockstep` package (its own
  # pure-Elixir Lockstep.Generator and a Lockstep.History) and a consumer
  # depending on it (only: :test) and on this package, by path. The consumer's
  # own `mix test` must pass: this package's Lockstep.Generator runs (README,
  # "In a Lockstep project"). Slow (it builds both packages from scratch in a
  # temporary build dir; cargo reuses this project's target/), so it runs
  # once per `mix test`; `--exclude lockstep_project` skips it.
  use ExUnit.Case, async: false

  @moduletag :lockstep_project
  @moduletag timeout: 600_000

  @root Path.expand("../..", __DIR__)
  @consumer Path.join(@root, "test/fixtures/lockstep_project/consumer")

  defp mix(env, build, args) do
    System.cmd("mix", args,
      cd: @consumer,
      stderr_to_stdout: true,
      env: [
        {"MIX_ENV", env},
        {"MIX_BUILD_PATH", build},
        {"CARGO_TARGET_DIR", Path.join(@root, "target")},
        {"MIX_EXS", nil}
      ]
    )
  end

  @tag :tmp_dir
  test "the consumer compiles cleanly and its tests pass, with lockstep and without", %{
    tmp_dir: tmp
  } do
    test_build = Path.join(tmp, "_build_test")
    {out, status} = mix("test", test_build, ["compile"])
    assert status == 0, out
    # Both packages were compiled here, from scratch, without a warning.
    assert out =~ "==> lockstep\n"
    assert out =~ "==> lockstep_generator\n"
    refute out =~ "warning", out
    refute out =~ "redefining module", out

    {out, status} = mix("test", test_build, ["test"])
    assert status == 0, out
    assert out =~ ~r/\n6 tests, 0 failures\n/, out
    refute out =~ "warning", out

    # The task's first run compiles this package: Mix's messages go to
    # stderr, stdout gets the ops only (`> ops.tsv`).
    {out, status} =
      System.cmd("sh", ["-c", "mix lockstep.gen --seed 1 --take 3 2>/dev/null"],
        cd: @consumer,
        env: [
          {"MIX_ENV", "prod"},
          {"MIX_BUILD_PATH", Path.join(tmp, "_build_prod")},
          {"CARGO_TARGET_DIR", Path.join(@root, "target")},
          {"MIX_EXS", nil}
        ]
      )

    assert status == 0, out

    assert [
             "# #Lockstep.Generator<random seed: 1 at: 0 remaining: 3>",
             "0\t" <> _,
             "1\t" <> _,
             "2\t" <> _
           ] = String.split(out, "\n", trim: true)

    # Without lockstep (it is only: :test), as in a prod release: ours, alone.
    {out, status} =
      mix("prod", Path.join(tmp, "_build_prod"), [
        "run",
        "-e",
        "IO.puts(Lockstep.Generator.Coexist.loaded_from()); " <>
          "IO.inspect(Code.ensure_loaded?(Lockstep.History)); " <>
          "IO.inspect(Lockstep.Generator.random([:a, :b], seed: 1) |> Enum.take(4))"
      ])

    assert status == 0, out
    refute out =~ "warning", out
    assert out =~ ~r{/lockstep_generator/ebin\nfalse\n\[}, out

    # Applications not started, the other package's Lockstep.Generator is
    # the one loaded: our modules say what to call.
    {out, status} =
      mix("test", test_build, [
        "run",
        "--no-start",
        "-e",
        "Lockstep.Generator.Workloads.register(seed: 1)"
      ])

    assert status != 0
    assert out =~ "call Lockstep.Generator.Coexist.prefer_ours/0 first", out
    refute out =~ "__value__/4 is undefined", out
  end
end
