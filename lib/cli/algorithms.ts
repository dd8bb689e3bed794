/** `recsys algorithms`: the registry's algorithms with their parameters. */
import { algorithmsHelp } from "../algorithms/registry";
import type { CliIO } from "./main";

export async function run(argv: string[], io: CliIO): Promise<number> {
  io.out(algorithmsHelp());
  return 0;
}
