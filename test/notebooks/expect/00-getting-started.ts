import type { NotebookExpectations } from "../expectations";

const expectations: NotebookExpectations = {
  records: {
    ratings: 100000,
    users: 943,
    items: 1682,
    genres: 19,
    ratingScale: (v) => {
      if (JSON.stringify(v) !== "[1,5]") throw new Error(`ratingScale ${JSON.stringify(v)} != [1,5]`);
    },
    meanRating: { approx: 3.52986, tol: 1e-4 },
    mostRatedTitle: "Star Wars (1977)",
    mostRatedCount: 583,
    dramaMovies: 725,
  },
  minFigures: 5,
};

export default expectations;
