import { setUp } from "./tempRoot";

export default setUp;
