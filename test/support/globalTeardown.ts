import { tearDown } from "./tempRoot";

export default tearDown;
